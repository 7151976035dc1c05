package io.warden.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvTest {

    @TempDir
    Path dir;

    private static Env env(String... pairs) {
        Map<String, String> variables = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            variables.put(pairs[i], pairs[i + 1]);
        }
        return Env.of(variables);
    }

    /** Asserts the one-line message names the variable first, then says what it expected and what it got. */
    private static ConfigException rejects(String variable, Executable read, String... mentions) {
        ConfigException e = assertThrows(ConfigException.class, read);
        assertEquals(variable, e.variable());
        assertTrue(e.getMessage().startsWith(variable + ":"), e.getMessage());
        for (String mention : mentions) {
            assertTrue(e.getMessage().contains(mention), () -> "\"" + e.getMessage() + "\" lacks \"" + mention + "\"");
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void unsetAndBlankVariablesTakeTheDefault() {
        Env env = env("BLANK", "  ");
        assertEquals("fallback", env.string("UNSET", "fallback"));
        assertEquals("fallback", env.string("BLANK", "fallback"));
        assertEquals(6379, env.port("BLANK", 6379));
        assertEquals(5, env.positiveLong("UNSET", 5));
        assertEquals(0.75, env.fraction("BLANK", 0.75, 0, 1));
        assertEquals(Duration.ofSeconds(2), env.millis("UNSET", Duration.ofSeconds(2)));
        assertEquals(Optional.empty(), env.optional("BLANK"));
        assertEquals(Optional.empty(), env.secret("BLANK"));
    }

    @Test
    void valuesAreStripped() {
        Env env = env("HOST", " redis-0 ", "PORT", " 7000 ");
        assertEquals("redis-0", env.string("HOST", "x"));
        assertEquals(7000, env.port("PORT", 6379));
    }

    @Test
    void portAtEitherEndOfTheRangeIsAccepted() {
        assertEquals(1, env("P", "1").port("P", 6379));
        assertEquals(65535, env("P", "65535").port("P", 6379));
    }

    @Test
    void portOutOfRangeNamesTheVariableTheRangeAndTheValue() {
        rejects("REDIS_PORT", () -> env("REDIS_PORT", "70000").port("REDIS_PORT", 6379), "1 to 65535", "70000");
        rejects("REDIS_PORT", () -> env("REDIS_PORT", "0").port("REDIS_PORT", 6379), "1 to 65535", "\"0\"");
    }

    @Test
    void nonNumericPortNamesTheVariableAndTheValue() {
        rejects("REDIS_PORT", () -> env("REDIS_PORT", "redis").port("REDIS_PORT", 6379), "port number", "redis");
    }

    @Test
    void positiveLongRejectsZeroAndNegatives() {
        assertEquals(42, env("N", "42").positiveLong("N", 1));
        rejects("N", () -> env("N", "0").positiveLong("N", 1), "above 0", "0");
        rejects("N", () -> env("N", "-3").positiveLong("N", 1), "above 0", "-3");
    }

    @Test
    void longInRangeSaysWhatTheCallerExpected() {
        assertEquals(3, env("R", "3").longInRange("R", 1, 1, 5, "1 to 5 replicas"));
        rejects("R", () -> env("R", "6").longInRange("R", 1, 1, 5, "1 to 5 replicas"), "1 to 5 replicas", "6");
        rejects("R", () -> env("R", "1.5").longInRange("R", 1, 1, 5, "1 to 5 replicas"), "1 to 5 replicas", "1.5");
    }

    @Test
    void fractionWithinBoundsIsRead() {
        assertEquals(0.5, env("F", "0.5").fraction("F", 0.75, 0.1, 0.9));
        assertEquals(0.9, env("F", "0.9").fraction("F", 0.75, 0.1, 0.9));
    }

    @Test
    void fractionOverMaxIsRejected() {
        rejects("F", () -> env("F", "1.5").fraction("F", 0.75, 0.1, 0.9), "0.1 to 0.9", "1.5");
    }

    @Test
    void fractionNaNIsRejected() {
        rejects("F", () -> env("F", "NaN").fraction("F", 0.75, 0.1, 0.9), "0.1 to 0.9", "NaN");
    }

    @Test
    void nonNumericFractionIsRejected() {
        rejects("F", () -> env("F", "half").fraction("F", 0.75, 0.1, 0.9), "half");
    }

    @Test
    void millisAreWholePositiveMilliseconds() {
        assertEquals(Duration.ofMillis(1500), env("T", "1500").millis("T", Duration.ofSeconds(1)));
        rejects("T", () -> env("T", "0").millis("T", Duration.ofSeconds(1)), "above 0", "0");
        rejects("T", () -> env("T", "1s").millis("T", Duration.ofSeconds(1)), "1s");
    }

    @Test
    void durationsTakeAUnitOrCountSeconds() {
        assertEquals(Duration.ofSeconds(45), env("T", "45").duration("T", Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(30), env("T", "30s").duration("T", Duration.ofSeconds(1)));
        assertEquals(Duration.ofMillis(500), env("T", "500ms").duration("T", Duration.ofSeconds(1)));
        assertEquals(Duration.ofMinutes(2), env("T", "2m").duration("T", Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(45), env().duration("T", Duration.ofSeconds(45)));
        rejects("T", () -> env("T", "0s").duration("T", Duration.ofSeconds(1)), "above 0", "0s");
        rejects("T", () -> env("T", "soon").duration("T", Duration.ofSeconds(1)), "45s", "soon");
        rejects("T", () -> env("T", "-5").duration("T", Duration.ofSeconds(1)), "-5");
    }

    @Test
    void requiredVariableMissingSaysWhatWasExpected() {
        assertEquals("redis-0", env("POD", "redis-0").required("POD", "the pod name"));
        rejects("POD", () -> env().required("POD", "the pod name"), "not set", "the pod name");
        rejects("POD", () -> env("POD", "").required("POD", "the pod name"), "not set");
    }

    @Test
    void secretGivenInline() {
        assertEquals(Optional.of("s3cret"), env("REDIS_PASSWORD", "s3cret").secret("REDIS_PASSWORD"));
    }

    @Test
    void secretFromFileDropsTheTrailingNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("password"), "s3cret\n");
        Env env = env("REDIS_PASSWORD_FILE", file.toString());
        assertEquals(Optional.of("s3cret"), env.secret("REDIS_PASSWORD"));
    }

    @Test
    void secretBothInlineAndFileNamesBoth() throws IOException {
        Path file = Files.writeString(dir.resolve("password"), "s3cret\n");
        Env env = env("REDIS_PASSWORD", "other", "REDIS_PASSWORD_FILE", file.toString());
        rejects("REDIS_PASSWORD", () -> env.secret("REDIS_PASSWORD"), "REDIS_PASSWORD_FILE");
    }

    @Test
    void secretFileMissingNamesTheFileVariable() {
        Path missing = dir.resolve("no-such-file");
        Env env = env("REDIS_PASSWORD_FILE", missing.toString());
        rejects("REDIS_PASSWORD_FILE", () -> env.secret("REDIS_PASSWORD"), missing.toString());
    }

    @Test
    void secretFileThatIsADirectoryNamesTheFileVariable() {
        Env env = env("REDIS_PASSWORD_FILE", dir.toString());
        rejects("REDIS_PASSWORD_FILE", () -> env.secret("REDIS_PASSWORD"), "cannot read", dir.toString());
    }

    @Test
    void secretFileEmptyIsAnError() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Env env = env("REDIS_PASSWORD_FILE", empty.toString());
        rejects("REDIS_PASSWORD_FILE", () -> env.secret("REDIS_PASSWORD"), "empty", empty.toString());
    }
}
