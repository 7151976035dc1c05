package io.warden.agent;

import io.lettuce.core.Range;
import io.vertx.core.json.JsonObject;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every agent endpoint's answer for the states a Redis can be in, against real redis-server processes. */
class AgentEndpointsIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void healthyMasterPassesEveryProbeAndIsMaster() {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(master)) {
            assertEquals(200, agent.status("/live"));
            assertEquals(200, agent.status("/health"));
            assertEquals(200, agent.status("/ready"));
            assertEquals(200, agent.status("/master"));
            assertEquals(503, agent.status("/replica"));
            JsonObject role = agent.get("/role").json();
            assertEquals("master", role.getString("role"));
            assertEquals(0, role.getJsonArray("replicas").size());
        }
    }

    @Test
    void replicaWithLinkUpIsReadyAndReportsItsMaster() {
        RedisServer master = redis.start(RedisSpec.standalone());
        RedisServer replica = redis.startReplicaInSync(RedisSpec.standalone(), master);
        master.commands().set("k", "v");
        try (AgentHarness agent = AgentHarness.start(replica)) {
            Eventually.await(WAIT, "the replica to be ready", () -> agent.status("/ready") == 200, () -> agent.get("/ready").body());
            assertEquals(200, agent.status("/replica"));
            assertEquals(503, agent.status("/master"));
            JsonObject role = agent.get("/role").json();
            assertEquals("replica", role.getString("role"));
            assertEquals(master.address(), role.getString("master"));
            assertTrue(role.getBoolean("linkUp"));
            assertTrue(role.containsKey("lagBytes"), "the agent reads the master's offset to know the lag: " + role);
        }
    }

    @Test
    void masterListsItsReplicasInRole() {
        RedisServer master = redis.start(RedisSpec.standalone());
        redis.startReplicaInSync(RedisSpec.standalone(), master);
        try (AgentHarness agent = AgentHarness.start(master)) {
            Eventually.await(WAIT, "the master to list its replica online",
                    () -> agent.get("/role").json().getJsonArray("replicas").encode().contains("\"state\":\"online\""),
                    () -> agent.get("/role").body());
            assertEquals(1, agent.get("/role").json().getJsonArray("replicas").size());
        }
    }

    @Test
    void replicaWhoseMasterWasKilledIsAliveButNotReady() {
        RedisServer master = redis.start(RedisSpec.standalone());
        RedisServer replica = redis.startReplicaInSync(RedisSpec.standalone(), master);
        try (AgentHarness agent = AgentHarness.start(replica)) {
            Eventually.await(WAIT, "the replica to be ready", () -> agent.status("/ready") == 200);
            master.kill();
            Eventually.await(WAIT, "readiness to fail", () -> agent.status("/ready") == 503);
            JsonObject ready = agent.get("/ready").json();
            assertFalse(ready.getBoolean("ready"));
            assertTrue(ready.getJsonArray("reasons").encode().contains("link to master"), ready.encode());
            assertEquals(200, agent.status("/health"), "the replica itself still answers PING");
            assertEquals(200, agent.status("/live"));
        }
    }

    @Test
    void redisKilledFailsHealthWhileTheAgentStaysLive() {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(master)) {
            master.kill();
            Eventually.await(WAIT, "health to fail", () -> agent.status("/health") == 503);
            Eventually.await(WAIT, "readiness to fail", () -> agent.status("/ready") == 503);
            assertEquals(200, agent.status("/live"), "liveness is the agent's own loop, not Redis");
            assertEquals(503, agent.status("/role"));
            assertEquals(503, agent.status("/master"));
            AgentHarness.Answer health = agent.get("/health");
            assertEquals("down", health.json().getString("status"));
            assertTrue(health.json().getString("reason").contains("refused"), health.body());
            Eventually.await(WAIT, "redis_up 0", () -> agent.get("/metrics").body().contains("\nredis_up 0"));
        }
    }

    @Test
    void agentRecoversWhenRedisComesBack() {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(master)) {
            master.kill();
            Eventually.await(WAIT, "health to fail", () -> agent.status("/health") == 503);
            master.start();
            Eventually.await(WAIT, "health to recover", () -> agent.status("/health") == 200);
            Eventually.await(WAIT, "readiness to recover", () -> agent.status("/ready") == 200);
        }
    }

    @Test
    void clusterNodeWithoutSlotsIsNotReadyUntilTheClusterIsOk() {
        RedisServer node = redis.start(RedisSpec.standalone().clusterEnabled());
        try (AgentHarness agent = AgentHarness.start(node)) {
            Eventually.await(WAIT, "a cluster_state reason", () -> agent.get("/ready").body().contains("cluster_state:fail"),
                    () -> agent.get("/ready").body());
            assertEquals(503, agent.status("/ready"));
            assertTrue(agent.get("/role").json().getString("nodeId").matches("[0-9a-f]{40}"));
            node.commands().clusterAddSlotsRange(Range.create(0, 16383));
            Eventually.await(WAIT, "the lone node covering every slot to be ready", () -> agent.status("/ready") == 200,
                    () -> agent.get("/ready").body());
        }
    }

    @Test
    void unknownPathAnswersJsonError() {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(master)) {
            AgentHarness.Answer answer = agent.get("/no-such-thing");
            assertEquals(404, answer.status());
            assertTrue(answer.json().getString("error").contains("/no-such-thing"));
        }
    }
}
