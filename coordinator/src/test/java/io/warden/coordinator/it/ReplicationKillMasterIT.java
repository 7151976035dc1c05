package io.warden.coordinator.it;

import io.warden.coordinator.kube.KubeApiMock;
import io.warden.coordinator.kube.RoleLabeler;
import io.warden.coordinator.kube.RolePublisher;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static io.warden.coordinator.it.FailoverChecks.isReplicaOf;
import static io.warden.coordinator.it.FailoverChecks.masterName;
import static io.warden.coordinator.it.FailoverChecks.millisSince;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication mode: kill -9 of the master under writes; a replica is promoted, the pods are relabelled (Kubernetes
 * API in CRUD mode), the old master returns as a replica.
 */
class ReplicationKillMasterIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    @Test
    void killedMasterIsReplacedAndReturnsAsAReplica() throws Exception {
        kube.createRedisPods("default", 3);
        RoleLabeler labeler = new RoleLabeler(kube.client());
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2);
             RolePublisher publisher = new RolePublisher(labeler, "default")) {
            d.startCoordinator(d::localElection, publisher);
            d.awaitHealthy();
            String oldName = masterName(d);
            RedisServer old = d.server(oldName);
            try (ContinuousWriter writer = ContinuousWriter.masterFollowing(FailoverChecks.masterOf(d), 200)) {
                writer.awaitProgress(200, Duration.ofSeconds(20));

                long killed = System.nanoTime();
                old.kill();
                Eventually.await(Duration.ofSeconds(20), "a replica promoted", () -> {
                    String now = masterName(d);
                    return !now.isEmpty() && !now.equals(oldName);
                }, () -> String.join("; ", d.topology().problems()));
                long promotedMs = millisSince(killed);
                writer.awaitProgress(200, Duration.ofSeconds(20));

                old.start();
                TopologyDocument healed = d.awaitHealthy();
                assertNotEquals(oldName, healed.shards().get(0).master().name(), "the old master does not take its role back");
                RedisServer current = d.server(healed.shards().get(0).master().name());
                Eventually.await(Duration.ofSeconds(20), oldName + " follows the new master", () -> isReplicaOf(old, current),
                        () -> old.commands().info("replication"));

                String newName = healed.shards().get(0).master().name();
                Eventually.await(Duration.ofSeconds(20), "pods relabelled: " + newName + " master, " + oldName + " replica", () -> {
                    Map<String, String> roles = roles(labeler);
                    return "master".equals(roles.get(newName)) && "replica".equals(roles.get(oldName));
                }, () -> roles(labeler).toString());

                WriterReport report = writer.stopAndVerify();
                System.out.println("replication kill -9: promoted after " + promotedMs + " ms; writer " + report);
                assertTrue(report.longestGap().compareTo(Duration.ofSeconds(10)) < 0, "writes resumed within 10 s: " + report);
                assertTrue(report.wrongValue() == 0, report.toString());
            }
        }
    }

    private static Map<String, String> roles(RoleLabeler labeler) {
        try {
            return labeler.roles("default", null);
        } catch (Exception e) {
            return Map.of("error", e.toString());
        }
    }
}
