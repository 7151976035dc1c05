package io.warden.coordinator.it;

import io.vertx.core.json.JsonObject;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Shard;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
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

    /** Every node restarted in turn as a rolling update would: replicas first, then masters, each through preStop. */
    @Test
    void aRollingRestartOfEveryNodeThroughPreStopLosesNothing() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument before = d.awaitHealthy();
            List<String> order = new ArrayList<>();
            before.shards().forEach(s -> s.replicas().forEach(r -> order.add(r.name())));
            before.shards().forEach(s -> order.add(s.master().name()));
            List<String> answers = new ArrayList<>();
            try (ContinuousWriter writer = ContinuousWriter.cluster(seeds(d), WRITES_PER_SECOND)) {
                writer.awaitProgress(500, Duration.ofSeconds(20));
                for (String name : order) {
                    JsonObject answer = d.preStop(d.server(name));
                    answers.add(name + " " + answer.getString("action") + " " + answer.getLong("durationMs") + " ms");
                    boolean wasMaster = before.shards().stream().anyMatch(s -> s.master().name().equals(name));
                    assertEquals(wasMaster ? "switched-over" : "nothing-to-do", answer.getString("action"), name + ": " + answer.encode());
                    RedisServer server = d.server(name);
                    server.stop();
                    server.start();
                    d.awaitHealthy();
                    writer.awaitProgress(300, Duration.ofSeconds(20));
                }
                WriterReport report = writer.stopAndVerify();
                LOG.info("rolling restart " + answers + "; writer: " + report);
                assertTrue(report.nothingLost(), report.toString());
            }
            TopologyDocument end = d.awaitHealthy();
            for (int i = 0; i < before.shards().size(); i++) {
                assertEquals(before.shards().get(i).replicas().get(0).name(), end.shards().get(i).master().name(),
                        "each master handed over to its replica before it restarted");
            }
            ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 3);
        }
    }

    /** DESIGN.md rule 5: with every coordinator gone, preStop still hands over losslessly, and says so when one is back. */
    @Test
    void withTheCoordinatorStoppedPreStopHandsOverLocallyWithClusterFailover() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            Shard shard = d.awaitHealthy().shards().get(0);
            d.stopCoordinator();
            JsonObject answer;
            WriterReport report;
            try (ContinuousWriter writer = ContinuousWriter.cluster(seeds(d), WRITES_PER_SECOND)) {
                writer.awaitProgress(500, Duration.ofSeconds(20));
                answer = d.preStop(d.server(shard.master().name()));
                writer.awaitProgress(300, Duration.ofSeconds(20));
                report = writer.stopAndVerify();
            }
            LOG.info("local cluster preStop " + answer.encode() + "; writer: " + report);
            assertEquals("switched-over", answer.getString("action"), answer.encode());
            assertTrue(answer.getString("detail").contains("CLUSTER FAILOVER"), answer.encode());
            assertTrue(report.nothingLost(), report.toString());
            assertEquals("master", d.server(shard.replicas().get(0).name()).commands().role().get(0));

            d.startCoordinator();
            TopologyDocument after = d.awaitHealthy();
            assertEquals(shard.replicas().get(0).name(), after.shards().get(0).master().name());
            Eventually.await(Duration.ofSeconds(10), "the local handover in the history", () -> d.topology().history().stream()
                            .anyMatch(e -> e.outcome().startsWith(shard.master().name() + " reports: preStop handed over locally")),
                    () -> d.topology().history().toString());
            ClusterBootstrapIT.assertPeerToolAgrees(d.servers().get(0), 3);
        }
    }

    static List<InetSocketAddress> seeds(TestDeployment d) {
        return d.servers().stream().map(s -> new InetSocketAddress(s.host(), s.port())).toList();
    }
}
