package io.warden.coordinator.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --flag value} and {@code --switch} arguments of one command. Anything unknown or malformed is a
 * {@link UsageError} naming the flag; nothing is half-read.
 */
public final class Args {

    private final String command;
    private final Map<String, String> values = new HashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param valued   flags that take a value (without the dashes)
     * @param switches flags that take none
     */
    public static Args parse(String command, List<String> args, Set<String> valued, Set<String> switches) {
        Args parsed = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageError(command, "unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name) && inline == null) {
                parsed.values.put(name, "true");
            } else if (valued.contains(name)) {
                String value = inline != null ? inline : i + 1 < args.size() ? args.get(++i) : null;
                if (value == null || value.startsWith("--")) {
                    throw new UsageError(command, "--" + name + " needs a value");
                }
                parsed.values.put(name, value);
            } else {
                throw new UsageError(command, "unknown flag --" + name);
            }
        }
        return parsed;
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String value(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String raw = values.get(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError(command, "--" + name + " expects a whole number from " + min + " to " + max + ", got \"" + raw + "\"");
    }

    public String oneOf(String name, String defaultValue, Set<String> allowed) {
        String value = value(name, defaultValue);
        if (!allowed.contains(value)) {
            throw new UsageError(command, "--" + name + " expects one of " + String.join(", ", new java.util.TreeSet<>(allowed))
                    + ", got \"" + value + "\"");
        }
        return value;
    }

    /** A mistake in how a command was called; printed as one line, exit status 2. */
    public static final class UsageError extends RuntimeException {

        public UsageError(String command, String problem) {
            super("bin/warden " + command + ": " + problem);
        }
    }
}
