package io.warden.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of environment variables. Every read either returns a valid value (or the default for an
 * unset or blank variable) or throws a {@link ConfigException} naming the variable and what it expected.
 * Built over a map so tests pass their own environment.
 */
public final class Env {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private final Map<String, String> variables;

    private Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name, String expected) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "is not set; expected " + expected));
    }

    public int port(String name, int defaultValue) {
        return (int) longInRange(name, defaultValue, 1, 65535, "a port number from 1 to 65535");
    }

    public long positiveLong(String name, long defaultValue) {
        return longInRange(name, defaultValue, 1, Long.MAX_VALUE, "a whole number above 0");
    }

    public long longInRange(String name, long defaultValue, long min, long max, String expected) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < min || value > max) {
                throw invalid(name, expected, raw.get());
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, expected, raw.get());
        }
    }

    /** A fraction {@code min <= x <= max}, e.g. a ratio of a memory limit. */
    public double fraction(String name, double defaultValue, double min, double max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String expected = "a number from " + min + " to " + max;
        try {
            double value = Double.parseDouble(raw.get());
            if (!(value >= min && value <= max)) {
                throw invalid(name, expected, raw.get());
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, expected, raw.get());
        }
    }

    /** A duration in whole milliseconds, above zero. */
    public Duration millis(String name, Duration defaultValue) {
        return Duration.ofMillis(positiveLong(name, defaultValue.toMillis()));
    }

    /**
     * A duration above zero for a variable whose name carries no unit: {@code 45s}, {@code 500ms}, {@code 2m}, or a
     * bare whole number of seconds (as Kubernetes counts a grace period).
     */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(raw.get());
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            Duration value = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (!value.isZero()) {
                return value;
            }
        }
        throw invalid(name, "a duration above 0 such as 45s, 500ms or 2m (a bare number counts seconds)", raw.get());
    }

    /**
     * A secret given either inline ({@code NAME}) or as a file ({@code NAME_FILE}, e.g. a mounted Secret);
     * not both. The file's trailing newline is dropped, as {@code kubectl create secret --from-file} keeps one.
     */
    public Optional<String> secret(String name) {
        String fileVariable = name + "_FILE";
        Optional<String> inline = optional(name);
        Optional<String> file = optional(fileVariable);
        if (inline.isPresent() && file.isPresent()) {
            throw new ConfigException(name, "is set together with " + fileVariable + "; set only one of them");
        }
        if (file.isEmpty()) {
            return inline;
        }
        try {
            String content = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).stripTrailing();
            if (content.isEmpty()) {
                throw new ConfigException(fileVariable, "names an empty file: " + file.get());
            }
            return Optional.of(content);
        } catch (IOException e) {
            throw new ConfigException(fileVariable, "cannot read " + file.get() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static ConfigException invalid(String name, String expected, String got) {
        return new ConfigException(name, "expected " + expected + ", got \"" + got + "\"");
    }
}
