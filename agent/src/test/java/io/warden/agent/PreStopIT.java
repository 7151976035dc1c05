package io.warden.agent;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.json.JsonObject;
import io.warden.agent.actions.Handover;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's preStop on its own (no coordinator) against real Redis: what answers at once, draining, giving up safely. */
class PreStopIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void aReplicaAnswersAtOnceAndDrainsUntilItsRedisRestarts() {
        RedisServer master = redis.start(RedisSpec.standalone());
        RedisServer replica = redis.startReplicaInSync(RedisSpec.standalone(), master);
        try (AgentHarness agent = AgentHarness.start(replica)) {
            Eventually.await(Duration.ofSeconds(15), "the replica to be ready", () -> agent.status("/ready") == 200, () -> agent.get("/ready").body());

            JsonObject answer = agent.get("/v1/lifecycle/prestop").json();

            assertEquals("nothing-to-do", answer.getString("action"), answer.encode());
            assertTrue(answer.getLong("durationMs") < 2000, answer.encode());
            AgentHarness.Answer ready = agent.get("/ready");
            assertEquals(503, ready.status());
            assertTrue(ready.body().contains("draining for shutdown"), ready.body());

            replica.stop();
            replica.start();
            Eventually.await(Duration.ofSeconds(15), "the restarted replica to be ready again", () -> agent.status("/ready") == 200,
                    () -> agent.get("/ready").body());
        }
    }

    @Test
    void aLoneMasterAnswersAtOnce() {
        RedisServer master = redis.start(RedisSpec.standalone());
        try (AgentHarness agent = AgentHarness.start(master)) {
            JsonObject answer = agent.get("/v1/lifecycle/prestop").json();

            assertEquals("nothing-to-do", answer.getString("action"), answer.encode());
        }
    }

    /** The kubelet's preStop httpGet cannot carry a token from a Secret: the hook must work without one. */
    @Test
    void preStopNeedsNoTokenWhereEverythingElseDoes() {
        RedisServer master = redis.start(RedisSpec.standalone());
        java.util.Map<String, String> env = new java.util.HashMap<>(AgentHarness.envFor(master));
        env.put("WARDEN_TOKEN", "secret-token");
        try (AgentHarness agent = AgentHarness.start(env)) {
            assertEquals(401, agent.status("/v1/snapshots"), "other /v1 paths still need the token");
            JsonObject answer = agent.get("/v1/lifecycle/prestop").json();

            assertEquals("nothing-to-do", answer.getString("action"), answer.encode());
            assertTrue(answer.getString("detail").contains("without an online replica"), answer.encode());
            assertEquals("master", master.commands().role().get(0));
        }
    }

    @Test
    void aHandoverToANodeThatNeverCatchesUpIsAbandonedAndWritesResume() {
        RedisServer master = redis.start(RedisSpec.standalone());
        RedisServer stranger = redis.start(RedisSpec.standalone());
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> m = client.connect(RedisURI.create(master.host(), master.port()));
             StatefulRedisConnection<String, String> s = client.connect(RedisURI.create(stranger.host(), stranger.port()))) {
            m.sync().set("before", "1");

            CompletionException failed = assertThrows(CompletionException.class, () -> Handover.handOverTo(m.async(), s.async(),
                    stranger.host(), stranger.port(), 300).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join());

            assertTrue(failed.getCause().getMessage().contains("abandoned, still master"), failed.getCause().getMessage());
            assertEquals("master", master.commands().role().get(0));
            assertEquals("master", stranger.commands().role().get(0));
            assertEquals("OK", master.commands().set("after", "1"), "writes are no longer paused");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aBadPreStopTimeoutStopsTheAgentNamingTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromEnv(Env.of(Map.of("WARDEN_PRESTOP_TIMEOUT", "soon"))));
        assertEquals("WARDEN_PRESTOP_TIMEOUT", e.variable());
        assertEquals(Duration.ofSeconds(45), AgentConfig.fromEnv(Env.of(Map.of())).preStopTimeout());
    }
}
