package io.warden.coordinator.it;

import io.warden.common.slots.SlotRange;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.WriterReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.warden.coordinator.it.FailoverChecks.assertNoneLostBefore;
import static io.warden.coordinator.it.FailoverChecks.millisSince;
import static io.warden.coordinator.it.FailoverChecks.nameInSlots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md hazard 3, cluster mode: a master is killed and restarted without its data (a lost volume; nodes.conf
 * and the agent's start-role file stay) at once, before anyone noticed it died, with Redis Cluster's own failover
 * at its default 15 s away. It comes back master of its slots in its own nodes.conf, so without Warden its replica
 * would resync its empty dataset. No acknowledged write older than the restart may be lost, and the restarted node
 * must end as a replica of the one that kept the data.
 */
class ClusterEmptyRestartIT {

    private static final int BEFORE = 300;

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void masterRestartedEmptyBeforeAnyoneNoticedDoesNotEmptyItsReplica() throws Exception {
        restartEmptyAndCheck(false);
    }

    /**
     * The same with no coordinator running while the master restarts: its agent waits ten heartbeat intervals (2 s
     * here) for one, its replica keeping the data meanwhile, then applies the coordinator's rule itself; the next
     * coordinator hears of it.
     */
    @Test
    void withNoCoordinatorTheRestartedMastersAgentHandsOverAlone() throws Exception {
        restartEmptyAndCheck(true);
    }

    private void restartEmptyAndCheck(boolean coordinatorAway) throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument.Shard shard = d.awaitHealthy().shards().get(0);
            String oldName = shard.master().name();
            RedisServer old = d.server(oldName);
            RedisServer replica = d.server(shard.replicas().get(0).name());
            Path startRole = old.dataDir().resolve("warden-role.conf");
            Eventually.await(Duration.ofSeconds(10), oldName + "'s agent to write its start guard",
                    () -> readOrEmpty(startRole).contains("user default"));

            String tag = nameInSlots("t", SlotRange.parse(shard.slots().get(0)));
            try (ContinuousWriter writer = ContinuousWriter.cluster(d.servers().stream()
                    .map(s -> new InetSocketAddress(s.host(), s.port())).toList(), 200, tag)) {
                writer.awaitProgress(200, Duration.ofSeconds(20));
                for (int i = 0; i < BEFORE; i++) {
                    old.commands().set("{" + tag + "}before:" + i, "v" + i);
                }
                assertEquals(1L, old.commands().waitForReplication(1, 2000), "the replica holds the writes before the restart");
                long writtenBefore = writer.acknowledgedCount();
                Thread.sleep(200);
                if (coordinatorAway) {
                    d.stopCoordinator();
                }

                long killed = System.nanoTime();
                old.kill();
                old.deleteDataset();
                old.start();
                long restartMs = millisSince(killed);
                assertTrue(restartMs < 5000, "restarted long before cluster-node-timeout: " + restartMs + " ms");
                // Under load the coordinator may have failed the shard over (the agent reports a dead Redis at once) and
                // gossip made the restarted node a replica that already synced: empty, or following, never a full master.
                assertTrue(old.commands().info("keyspace").lines().noneMatch(l -> l.startsWith("db0:")) || "slave".equals(role(old)),
                        "it came back empty");

                if (coordinatorAway) {
                    Thread.sleep(1000); // one of the replica's attempts to resync (one a second) while nobody decides
                    assertTrue(guarded(old), oldName + " serves nobody while it waits for a coordinator");
                    Eventually.await(Duration.ofSeconds(30), oldName + "'s agent to hand its slots to " + replica.address() + " alone",
                            () -> "master".equals(role(replica)) && "slave".equals(role(old)));
                    assertTrue(replica.commands().dbsize() >= BEFORE, "the replica kept the data: " + replica.commands().dbsize() + " keys");
                    d.startCoordinator();
                    Eventually.await(Duration.ofSeconds(20), "the coordinator to hear what the agent did alone", () -> d.topology().history()
                            .stream().anyMatch(e -> e.outcome().contains("no coordinator answered") && e.outcome().contains("takes over")),
                            () -> d.topology().history().toString());
                }
                Eventually.await(Duration.ofSeconds(30), oldName + " to follow " + replica.address(), () -> {
                    TopologyDocument.Shard now = d.topology().shards().stream()
                            .filter(s -> s.slots().equals(shard.slots())).findFirst().orElse(null);
                    return now != null && now.master().name().equals(shard.replicas().get(0).name())
                            && now.replicas().stream().anyMatch(r -> r.name().equals(oldName));
                }, () -> String.join("; ", d.topology().problems()));
                long tookOverMs = millisSince(killed);
                d.awaitHealthy();
                Eventually.await(Duration.ofSeconds(20), oldName + "'s start guard lifted, now that it is a replica", () -> !guarded(old));
                writer.awaitProgress(200, Duration.ofSeconds(20));

                for (int i = 0; i < BEFORE; i++) {
                    assertEquals("v" + i, replica.commands().get("{" + tag + "}before:" + i), replica.address() + " lost before:" + i);
                }
                Eventually.await(Duration.ofSeconds(20), oldName + " to hold the data again",
                        () -> old.commands().dbsize().equals(replica.commands().dbsize()));
                RedisCli.Result check = RedisCli.run("--cluster", "check", replica.address());
                assertEquals(0, check.exit(), check.output());

                WriterReport report = writer.stopAndVerify();
                System.out.println("cluster empty restart" + (coordinatorAway ? " (no coordinator meanwhile)" : "") + ": restarted after "
                        + restartMs + " ms, replica took over after " + tookOverMs + " ms; writer " + report);
                assertNoneLostBefore(report, writtenBefore);
                assertEquals(0, report.wrongValue(), report.toString());
            }
        }
    }

    private static String role(RedisServer node) {
        return String.valueOf(node.commands().role().get(0));
    }

    private static boolean guarded(RedisServer node) {
        return String.valueOf(node.commands().aclGetuser("default")).contains("-psync");
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

}
