package io.warden.agent;

import io.warden.common.config.ConfigException;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A password-protected Redis: the right password works, a wrong or missing one is a clear configuration error. */
class AgentCredentialsIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void rightPasswordServesEveryProbe() {
        RedisServer secured = redis.start(RedisSpec.standalone().withPassword("s3cret"));
        try (AgentHarness agent = AgentHarness.start(secured)) {
            assertEquals(200, agent.status("/health"));
            assertEquals(200, agent.status("/ready"));
        }
    }

    @Test
    void passwordFromAFileWorksLikeAMountedSecret(@TempDir Path dir) throws Exception {
        RedisServer secured = redis.start(RedisSpec.standalone().withPassword("from-file"));
        Path file = dir.resolve("password");
        Files.writeString(file, "from-file\n");
        Map<String, String> env = new java.util.HashMap<>(AgentHarness.envFor(secured));
        env.remove("WARDEN_REDIS_PASSWORD");
        env.put("WARDEN_REDIS_PASSWORD_FILE", file.toString());
        try (AgentHarness agent = AgentHarness.start(env)) {
            assertEquals(200, agent.status("/ready"));
        }
    }

    @Test
    void wrongPasswordFailsStartNamingTheVariable() {
        RedisServer secured = redis.start(RedisSpec.standalone().withPassword("right"));
        Map<String, String> env = new java.util.HashMap<>(AgentHarness.envFor(secured));
        env.put("WARDEN_REDIS_PASSWORD", "wrong");
        ConfigException error = refusalOf(env);
        assertEquals("WARDEN_REDIS_PASSWORD", error.variable());
        assertTrue(error.getMessage().contains("WRONGPASS"), error.getMessage());
        assertTrue(!error.getMessage().contains("\n"), "one line: " + error.getMessage());
    }

    @Test
    void missingPasswordFailsStartSayingWhatToSet() {
        RedisServer secured = redis.start(RedisSpec.standalone().withPassword("right"));
        Map<String, String> env = new java.util.HashMap<>(AgentHarness.envFor(secured));
        env.remove("WARDEN_REDIS_PASSWORD");
        ConfigException error = refusalOf(env);
        assertTrue(error.getMessage().contains("NOAUTH"), error.getMessage());
        assertTrue(error.getMessage().contains("set WARDEN_REDIS_PASSWORD"), error.getMessage());
    }

    /**
     * The agent's refusal of rejected credentials: its start fails, or, when its first connection was closed before
     * Redis answered the AUTH (seen once in 300 starts on a loaded machine: "Connection closed prematurely"), the next
     * look reports it as fatal, which ends the process with the same one line.
     */
    private static ConfigException refusalOf(Map<String, String> env) {
        AgentHarness started;
        try {
            started = AgentHarness.start(env);
        } catch (ConfigException refused) {
            return refused;
        }
        try (AgentHarness agent = started) {
            Eventually.await(Duration.ofSeconds(10), "the agent to refuse the credentials", () -> !agent.fatalErrors.isEmpty());
            return agent.fatalErrors.get(0);
        }
    }

    /** In a pod the agent starts before Redis; the wrong password shows only once Redis is up. */
    @Test
    void wrongPasswordSeenAfterStartIsReportedAsFatalOnce() {
        RedisServer secured = redis.start(RedisSpec.standalone().withPassword("right"));
        secured.kill();
        Map<String, String> env = new java.util.HashMap<>(AgentHarness.envFor(secured));
        env.put("WARDEN_REDIS_PASSWORD", "wrong");
        try (AgentHarness agent = AgentHarness.start(env)) {
            assertEquals(503, agent.status("/health"));
            secured.start();
            Eventually.await(Duration.ofSeconds(10), "the agent to report the rejected password", () -> !agent.fatalErrors.isEmpty());
            assertEquals("WARDEN_REDIS_PASSWORD", agent.fatalErrors.get(0).variable());
        }
    }
}
