package io.warden.agent;

import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The memory guard against a real Redis, with a fake cgroup tree standing in for the container's limit. */
class MemoryGuardIT {

    private static final long LIMIT = 1L << 30;

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @TempDir
    Path cgroup;

    @Test
    void redisWithoutMaxmemoryGetsThreeQuartersOfTheContainerLimit() throws Exception {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(envWithLimit(master, null))) {
            Eventually.await(Duration.ofSeconds(10), "maxmemory to be set", () -> maxmemory(master) == LIMIT * 3 / 4,
                    () -> "maxmemory " + maxmemory(master));
        }
    }

    @Test
    void maxmemoryTheUserSetIsLeftAlone() throws Exception {
        RedisServer master = redis.start(RedisSpec.standalone().withArgs("--maxmemory", "100mb"));
        try (AgentHarness agent = AgentHarness.start(envWithLimit(master, null))) {
            Eventually.await(Duration.ofSeconds(10), "a first observation", () -> agent.status("/ready") == 200);
            assertEquals(100L * 1024 * 1024, maxmemory(master));
        }
    }

    @Test
    void ratioFromTheEnvironmentIsUsedAndZeroTurnsTheGuardOff() throws Exception {
        RedisServer halved = redis.start(RedisSpec.standalone());
        RedisServer untouched = redis.start(RedisSpec.standalone());
        try (AgentHarness a = AgentHarness.start(envWithLimit(halved, "0.5"));
             AgentHarness b = AgentHarness.start(envWithLimit(untouched, "0"))) {
            Eventually.await(Duration.ofSeconds(10), "maxmemory to be half the limit", () -> maxmemory(halved) == LIMIT / 2);
            assertEquals(200, b.status("/ready"));
            assertEquals(0L, maxmemory(untouched));
        }
    }

    private Map<String, String> envWithLimit(RedisServer server, String ratio) throws Exception {
        Files.writeString(cgroup.resolve("memory.max"), LIMIT + "\n");
        Map<String, String> env = new java.util.HashMap<>(AgentHarness.envFor(server));
        env.put("WARDEN_CGROUP_ROOT", cgroup.toString());
        if (ratio != null) {
            env.put("WARDEN_MAXMEMORY_RATIO", ratio);
        }
        return env;
    }

    private static long maxmemory(RedisServer server) {
        return Long.parseLong(server.commands().configGet("maxmemory").get("maxmemory"));
    }
}
