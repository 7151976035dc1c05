package io.warden.coordinator.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bin/warden switchover}'s usage mistakes name the flag, before any coordinator is asked. */
class SwitchoverCommandTest {

    private static String mistake(String... argv) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return assertThrows(Args.UsageError.class, () -> SwitchoverCommand.run(List.of(argv), quiet, quiet)).getMessage();
    }

    @Test
    void theShardIsRequired() {
        assertEquals("bin/warden switchover: --shard is required: the shard to switch over, e.g. --shard shard-0 "
                + "(bin/warden status lists them)", mistake());
        assertEquals("bin/warden switchover: --shard is required: the shard to switch over, e.g. --shard shard-0 "
                + "(bin/warden status lists them)", mistake("--to", "redis-3"));
    }

    @Test
    void aFlagWithoutItsValueOrAMalformedShardIsNamed() {
        assertEquals("bin/warden switchover: --shard needs a value", mistake("--shard"));
        assertEquals("bin/warden switchover: --to needs a value", mistake("--shard", "shard-0", "--to"));
        assertEquals("bin/warden switchover: --shard expects a shard id such as shard-0, got \"0\"", mistake("--shard", "0"));
    }

    @Test
    void unknownFlagsAndStrayArgumentsAreRefused() {
        assertEquals("bin/warden switchover: unknown flag --force", mistake("--shard", "shard-0", "--force"));
        assertEquals("bin/warden switchover: unexpected argument 'shard-0'", mistake("shard-0"));
    }
}
