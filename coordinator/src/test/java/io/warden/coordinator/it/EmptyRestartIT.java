package io.warden.coordinator.it;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.warden.coordinator.it.FailoverChecks.assertNoneLostBefore;
import static io.warden.coordinator.it.FailoverChecks.isReplicaOf;
import static io.warden.coordinator.it.FailoverChecks.masterName;
import static io.warden.coordinator.it.FailoverChecks.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md hazard 3, replication mode: the master is killed and restarted without its data (a lost volume) at once,
 * before the down-after time, so before anyone declared it failed. Its replicas must not resync to its empty
 * dataset: no acknowledged write older than the restart is lost.
 */
class EmptyRestartIT {

    private static final int BEFORE = 100;

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void masterRestartedEmptyBeforeAnyoneNoticedDoesNotEmptyItsReplicas() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2)) {
            d.startCoordinator();
            d.awaitHealthy();
            String oldName = masterName(d);
            RedisServer old = d.server(oldName);
            try (ContinuousWriter writer = ContinuousWriter.masterFollowing(FailoverChecks.masterOf(d), 200)) {
                writer.awaitProgress(200, Duration.ofSeconds(20));
                for (int i = 0; i < BEFORE; i++) {
                    old.commands().set("before:" + i, "v" + i);
                }
                assertEquals(2L, old.commands().waitForReplication(2, 2000), "both replicas hold the writes before the restart");
                long writtenBefore = writer.acknowledgedCount();
                Thread.sleep(200);

                long killed = System.nanoTime();
                old.kill();
                old.deleteDataset();
                old.start();
                long restartMs = millisSince(killed);
                assertTrue(restartMs < 2000, "restarted within the down-after time: " + restartMs + " ms");
                assertEquals(0L, old.commands().dbsize(), "it came back empty");

                Eventually.await(Duration.ofSeconds(30), "a replica with the data promoted", () -> {
                    String now = masterName(d);
                    return !now.isEmpty() && !now.equals(oldName);
                }, () -> String.join("; ", d.topology().problems()));
                long promotedMs = millisSince(killed);
                TopologyDocument healed = d.awaitHealthy();
                RedisServer current = d.server(healed.shards().get(0).master().name());
                Eventually.await(Duration.ofSeconds(20), oldName + " follows the new master", () -> isReplicaOf(old, current));
                writer.awaitProgress(200, Duration.ofSeconds(20));

                for (RedisServer node : d.servers()) {
                    for (int i = 0; i < BEFORE; i++) {
                        assertEquals("v" + i, node.commands().get("before:" + i), node.address() + " lost before:" + i);
                    }
                }
                WriterReport report = writer.stopAndVerify();
                System.out.println("empty restart: restarted after " + restartMs + " ms, replica promoted after " + promotedMs
                        + " ms; writer " + report);
                assertTrue(report.lost() <= 10, "only the last writes before the kill may be lost (async replication): " + report);
                assertNoneLostBefore(report, writtenBefore);
            }
        }
    }

}
