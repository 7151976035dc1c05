package io.warden.coordinator.it;

import io.vertx.core.json.JsonObject;
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

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Planned switchovers in replication mode (one master, two replicas) under a master-following writer, as a client
 * behind a Service selecting {@code warden.io/role=master} would write: nothing acknowledged is lost, the other
 * replica follows the new master, and the pods' role labels follow the roles.
 */
class ReplicationSwitchoverIT {

    private static final Logger LOG = Logger.getLogger(ReplicationSwitchoverIT.class.getName());
    private static final int WRITES_PER_SECOND = 500;

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    @Test
    void preStopOnTheMasterTwiceInTurnLosesNothingAndTheLabelsFollow() throws Exception {
        kube.createRedisPods("default", 3);
        RoleLabeler labeler = new RoleLabeler(kube.client());
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2);
             RolePublisher publisher = new RolePublisher(labeler, "default")) {
            d.startCoordinator(d::localElection, publisher);
            String master = d.awaitHealthy().shards().get(0).master().name();
            awaitLabels(labeler, master);
            List<Long> durations = new ArrayList<>();
            try (ContinuousWriter writer = ContinuousWriter.masterFollowing(ContinuousWriter.firstMasterOf(() -> addresses(d)), WRITES_PER_SECOND)) {
                writer.awaitProgress(300, Duration.ofSeconds(20));
                for (int round = 0; round < 2; round++) {
                    JsonObject answer = d.preStop(d.server(master));
                    assertEquals("switched-over", answer.getString("action"), answer.encode());
                    durations.add(answer.getLong("durationMs"));
                    TopologyDocument after = d.awaitHealthy();
                    String newMaster = after.shards().get(0).master().name();
                    assertNotEquals(master, newMaster);
                    assertEquals(2, after.shards().get(0).replicas().size(), "both others follow " + newMaster);
                    awaitLabels(labeler, newMaster);
                    master = newMaster;
                    writer.awaitProgress(300, Duration.ofSeconds(20));
                }
                WriterReport report = writer.stopAndVerify();
                LOG.info("replication preStop durations " + durations + " ms; writer: " + report);
                assertTrue(report.nothingLost(), report.toString());
            }
        }
    }

    /**
     * A writer that looks the master up in the coordinator's topology after each failed write (as the benchmark's
     * does): its first refusal comes when the handover unpauses the old master, before the new master's agent may
     * have reported; the topology read waits for that report, so no lookup sends it back to the old master.
     */
    @Test
    void preStopOnTheMasterSendsTopologyFollowingWritersOnlyToTheNewMaster() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2)) {
            d.startCoordinator();
            TopologyDocument before = d.awaitHealthy();
            String master = before.shards().get(0).master().name();
            String oldAddress = before.shards().get(0).master().redis();
            List<String> lookups = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean handingOver = new AtomicBoolean();
            JsonObject answer;
            WriterReport report;
            try (ContinuousWriter writer = ContinuousWriter.masterFollowing(() -> {
                String named = d.topology().shards().get(0).master().redis();
                if (handingOver.get()) {
                    lookups.add(named);
                }
                String[] hostPort = named.split(":");
                return Optional.of(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
            }, WRITES_PER_SECOND)) {
                writer.awaitProgress(300, Duration.ofSeconds(20));
                handingOver.set(true);
                answer = d.preStop(d.server(master));
                writer.awaitProgress(300, Duration.ofSeconds(20));
                report = writer.stopAndVerify();
            }
            LOG.info("topology-following writer: preStop " + answer.encode() + "; lookups " + lookups + "; writer: " + report);
            assertEquals("switched-over", answer.getString("action"), answer.encode());
            assertTrue(report.nothingLost(), report.toString());
            assertTrue(!lookups.isEmpty() && lookups.stream().noneMatch(oldAddress::equals),
                    "every lookup after the handover began names the new master, not " + oldAddress + ": " + lookups);
        }
    }

    @Test
    void withTheCoordinatorStoppedPreStopHandsOverLocallyAndRepointsTheOtherReplica() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2)) {
            d.startCoordinator();
            TopologyDocument before = d.awaitHealthy();
            String master = before.shards().get(0).master().name();
            d.stopCoordinator();
            JsonObject answer;
            WriterReport report;
            try (ContinuousWriter writer = ContinuousWriter.masterFollowing(ContinuousWriter.firstMasterOf(() -> addresses(d)), WRITES_PER_SECOND)) {
                writer.awaitProgress(300, Duration.ofSeconds(20));
                answer = d.preStop(d.server(master));
                writer.awaitProgress(300, Duration.ofSeconds(20));
                report = writer.stopAndVerify();
            }
            LOG.info("local replication preStop " + answer.encode() + "; writer: " + report);
            assertEquals("switched-over", answer.getString("action"), answer.encode());
            assertTrue(answer.getString("detail").contains("writes paused"), answer.encode());
            assertTrue(report.nothingLost(), report.toString());
            RedisServer newMaster = d.servers().stream().filter(s -> "master".equals(s.commands().role().get(0))).findFirst().orElseThrow();
            for (RedisServer s : d.servers()) {
                if (s != newMaster) {
                    Eventually.await(Duration.ofSeconds(10), s.address() + " following " + newMaster.address(),
                            () -> s.commands().info("replication").contains("master_port:" + newMaster.port() + "\r"),
                            () -> s.commands().info("replication"));
                }
            }

            d.startCoordinator();
            TopologyDocument after = d.awaitHealthy();
            assertEquals(newMaster.address(), after.shards().get(0).master().redis());
            Eventually.await(Duration.ofSeconds(10), "the local handover in the history",
                    () -> d.topology().history().stream().anyMatch(e -> e.outcome().startsWith(master + " reports: preStop handed over locally")),
                    () -> d.topology().history().toString());
        }
    }

    private static List<InetSocketAddress> addresses(TestDeployment d) {
        return d.servers().stream().map(s -> new InetSocketAddress(s.host(), s.port())).toList();
    }

    private static void awaitLabels(RoleLabeler labeler, String master) {
        Eventually.await(Duration.ofSeconds(20), "pod " + master + " labelled master, the two others replica", () -> {
            Map<String, String> roles = roles(labeler);
            return roles.size() == 3 && "master".equals(roles.get(master)) && roles.values().stream().filter("replica"::equals).count() == 2;
        }, () -> roles(labeler).toString());
    }

    private static Map<String, String> roles(RoleLabeler labeler) {
        try {
            return labeler.roles("default", null);
        } catch (Exception e) {
            return Map.of("error", e.toString());
        }
    }
}
