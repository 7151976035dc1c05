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

import static io.warden.coordinator.it.FailoverChecks.millisSince;
import static io.warden.coordinator.it.FailoverChecks.nameInSlots;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode, 3×1 with cluster-node-timeout at its default 15000: kill -9 of a master under writes. Its replica
 * must take writes for its slots again well before Redis's own failover would (node timeout + election delay).
 */
class ClusterKillMasterIT {

    private static final Duration REDIS_OWN_FAILOVER = Duration.ofMillis(15_000);

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void killedMasterIsReplacedLongBeforeTheNodeTimeoutAndReturnsAsAReplica() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();
            TopologyDocument.Shard shard = doc.shards().get(0);
            RedisServer master = d.server(shard.master().name());
            RedisServer replica = d.server(shard.replicas().get(0).name());
            String key = nameInSlots("probe:", SlotRange.parse(shard.slots().get(0)));

            try (ContinuousWriter writer = ContinuousWriter.cluster(d.servers().stream()
                    .map(s -> new InetSocketAddress(s.host(), s.port())).toList(), 200)) {
                writer.awaitProgress(200, Duration.ofSeconds(20));

                long killed = System.nanoTime();
                master.kill();
                awaitWritable(replica, key, Duration.ofSeconds(30));
                long recoveredMs = millisSince(killed);
                writer.awaitProgress(200, Duration.ofSeconds(20));

                master.start();
                Eventually.await(Duration.ofSeconds(30), shard.master().name() + " back as a replica", () -> d.topology().shards().stream()
                        .anyMatch(s -> s.replicas().stream().anyMatch(r -> r.name().equals(shard.master().name()))),
                        () -> String.join("; ", d.topology().problems()));
                d.awaitHealthy();

                WriterReport report = writer.stopAndVerify();
                System.out.println("cluster kill -9 (node timeout 15000): " + shard.replicas().get(0).name() + " took writes for "
                        + shard.slots() + " after " + recoveredMs + " ms; writer " + report);
                assertTrue(recoveredMs < 10_000, "writes to the dead master's slots resumed after " + recoveredMs
                        + " ms; Redis alone needs over " + REDIS_OWN_FAILOVER.toMillis() + " ms");
                assertTrue(report.wrongValue() == 0, report.toString());
            }
        }
    }

    /** Tries SET on {@code node} directly until it accepts it as the master of the key's slot (no MOVED). */
    private static void awaitWritable(RedisServer node, String key, Duration within) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(node.host()).withPort(node.port())
                .withTimeout(Duration.ofMillis(500)).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            Eventually.await(within, node.address() + " accepts writes for " + key, () -> {
                try {
                    return "OK".equals(c.sync().set(key, "v"));
                } catch (RuntimeException e) {
                    return false;
                }
            }, () -> "still refused");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
