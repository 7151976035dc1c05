package io.warden.coordinator.it;

import io.vertx.core.json.JsonObject;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Shard;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Planned switchovers in cluster mode under a steady write load: every acknowledged write is read back, and Redis's
 * own {@code redis-cli --cluster check} agrees with the result.
 */
class ClusterSwitchoverIT {

    private static final Logger LOG = Logger.getLogger(ClusterSwitchoverIT.class.getName());
    private static final int WRITES_PER_SECOND = 1000;

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void preStopOnEachMasterInTurnHandsEveryShardToItsReplicaLosingNothing() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument before = d.awaitHealthy();
            List<Long> durations = new ArrayList<>();
            try (ContinuousWriter writer = ContinuousWriter.cluster(seeds(d), WRITES_PER_SECOND)) {
                writer.awaitProgress(500, Duration.ofSeconds(20));
                for (Shard shard : before.shards()) {
                    JsonObject answer = d.preStop(d.server(shard.master().name()));
                    assertEquals("switched-over", answer.getString("action"), answer.encode());
                    durations.add(answer.getLong("durationMs"));
                    TopologyDocument after = d.awaitHealthy();
                    Shard now = after.shards().stream().filter(s -> s.slots().equals(shard.slots())).findFirst().orElseThrow();
                    assertEquals(shard.replicas().get(0).name(), now.master().name(), "the replica took over " + shard.id());
                    assertEquals(shard.master().name(), now.replicas().get(0).name(), "the old master follows it");
                    writer.awaitProgress(300, Duration.ofSeconds(20));
                }
                WriterReport report = writer.stopAndVerify();
                LOG.info("preStop durations " + durations + " ms; writer: " + report);
                assertTrue(report.nothingLost(), report.toString());
                assertTrue(report.acknowledged() > 1000, report.toString());
            }
            TopologyDocument end = d.topology();
            for (int i = 0; i < before.shards().size(); i++) {
                assertNotEquals(before.shards().get(i).master().name(), end.shards().get(i).master().name());
            }
            assertTrue(end.history().stream().anyMatch(e -> e.outcome().startsWith("switched shard-0 over from ")), end.history().toString());
            ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 3);
        }
    }

    static List<InetSocketAddress> seeds(TestDeployment d) {
        return d.servers().stream().map(s -> new InetSocketAddress(s.host(), s.port())).toList();
    }
}
