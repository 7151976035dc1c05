package io.warden.agent;

import io.lettuce.core.Range;
import io.warden.testkit.ClusterLoader;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisStats;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An agent rehearses the slot migration path once it sees a cluster node, and only then; the rehearsal writes nothing. */
class MigrationRehearsalIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void nextToAClusterNodeTheAgentRehearsesAndWritesNothing() {
        RedisServer node = redis.start(RedisSpec.standalone().clusterEnabled());
        node.commands().clusterAddSlotsRange(Range.create(0, 16383));
        Eventually.await(WAIT, "the lone node's cluster to be ok", () -> node.commands().clusterInfo().contains("cluster_state:ok"));
        ClusterLoader.load(List.of(new InetSocketAddress(node.host(), node.port())), "k", 2_000L, 8);
        long writes = RedisStats.writesSinceSave(node);
        long keys = node.commands().dbsize();

        try (AgentHarness agent = AgentHarness.start(node)) {
            Eventually.await(WAIT, "the rehearsal's scripts", () -> RedisStats.calls(node, "eval") >= 4096,
                    () -> node.commands().info("commandstats"));
        }

        assertEquals(writes, RedisStats.writesSinceSave(node));
        assertEquals(keys, node.commands().dbsize());
    }

    @Test
    void nextToARedisOutsideAClusterNothingIsRehearsed() {
        RedisServer node = redis.start(RedisSpec.standalone());

        try (AgentHarness agent = AgentHarness.start(node)) {
            Eventually.await(WAIT, "the agent to be ready", () -> agent.status("/ready") == 200, () -> agent.get("/ready").body());
            // Three observations later (one a second): a rehearsal would have started at the first.
            sleepSeconds(3);
        }

        assertEquals(0, RedisStats.calls(node, "eval"));
    }

    private static void sleepSeconds(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
