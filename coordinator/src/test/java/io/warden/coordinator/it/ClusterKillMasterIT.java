package io.warden.coordinator.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.warden.common.slots.SlotRange;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static io.warden.coordinator.it.FailoverChecks.millisSince;
import static io.warden.coordinator.it.FailoverChecks.nameInSlots;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode, 3×1 with cluster-node-timeout at its default 15000: kill -9 of a master under writes. Its replica
 * must take writes for its slots again well before Redis's own failover would (node timeout + election delay), also
 * when its election cannot win.
 */
class ClusterKillMasterIT {

    private static final Duration REDIS_OWN_FAILOVER = Duration.ofMillis(15_000);

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void killedMasterIsReplacedLongBeforeTheNodeTimeoutAndReturnsAsAReplica() throws Exception {
        killAMasterUnderWrites(false);
    }

    /**
     * A second master stalls (SIGSTOP) as the first dies: the replica's forced election gets one vote of the two it
     * needs and loses, and Redis would hold no other for 60 s (nor any while the master stalls). Its agent takes over
     * without a vote on the next instruction.
     */
    @Test
    void killedMasterIsReplacedInSecondsWhileAnotherMasterStallsAndItsElectionCannotWin() throws Exception {
        killAMasterUnderWrites(true);
    }

    private void killAMasterUnderWrites(boolean stallAnother) throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();
            TopologyDocument.Shard shard = doc.shards().get(0);
            RedisServer master = d.server(shard.master().name());
            RedisServer replica = d.server(shard.replicas().get(0).name());
            RedisServer other = d.server(doc.shards().get(1).master().name());
            String key = nameInSlots("probe:", SlotRange.parse(shard.slots().get(0)));

            try (ContinuousWriter writer = ContinuousWriter.cluster(d.servers().stream()
                    .map(s -> new InetSocketAddress(s.host(), s.port())).toList(), 200)) {
                writer.awaitProgress(200, Duration.ofSeconds(20));

                long killed = System.nanoTime();
                long recoveredMs;
                if (stallAnother) {
                    other.pause();
                }
                try {
                    master.kill();
                    awaitWritable(d, replica, key, Duration.ofSeconds(30));
                    recoveredMs = millisSince(killed);
                } finally {
                    if (stallAnother) {
                        other.resume();
                    }
                }
                writer.awaitProgress(200, Duration.ofSeconds(20));

                master.start();
                Eventually.await(Duration.ofSeconds(30), shard.master().name() + " back as a replica", () -> d.topology().shards().stream()
                        .anyMatch(s -> s.replicas().stream().anyMatch(r -> r.name().equals(shard.master().name()))),
                        () -> String.join("; ", d.topology().problems()));
                d.awaitHealthy();

                WriterReport report = writer.stopAndVerify();
                System.out.println("cluster kill -9 (node timeout 15000" + (stallAnother ? ", another master stalled" : "") + "): "
                        + shard.replicas().get(0).name() + " took writes for " + shard.slots() + " after " + recoveredMs
                        + " ms; writer " + report);
                assertTrue(recoveredMs < 10_000, "writes to the dead master's slots resumed after " + recoveredMs
                        + " ms; Redis alone needs over " + REDIS_OWN_FAILOVER.toMillis() + " ms");
                assertTrue(report.wrongValue() == 0, report.toString());
            }
        }
    }

    /**
     * Tries SET on {@code node} directly until it accepts it as the master of the key's slot (no MOVED). On a timeout it
     * says what the coordinator saw and what the nodes logged about the election.
     */
    private static void awaitWritable(TestDeployment d, RedisServer node, String key, Duration within) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(node.host()).withPort(node.port())
                .withTimeout(Duration.ofMillis(500)).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            Eventually.await(within, node.address() + " accepts writes for " + key, () -> {
                try {
                    return "OK".equals(c.sync().set(key, "v"));
                } catch (RuntimeException e) {
                    return false;
                }
            }, () -> "still refused; the coordinator: " + String.join("; ", d.topology().problems()) + "; the nodes' logs: "
                    + d.servers().stream().filter(RedisServer::running)
                    .map(s -> s.address() + ": "
                            + String.join(" / ", last(8, s.logLinesMentioning("failover", "election", "epoch", "taking over"))))
                    .collect(Collectors.joining(" | ")));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static List<String> last(int n, List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
