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
import java.util.List;

import static io.warden.coordinator.it.FailoverChecks.isReplicaOf;
import static io.warden.coordinator.it.FailoverChecks.masterName;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication mode, DESIGN.md rule 2: the master's pod is cut off — its agent from the coordinator (a TCP link the
 * test cuts) and its Redis from its replicas (it stops listening at its address and drops them), while clients on
 * its side keep their connections. It must stop taking writes before a replica is promoted; two masters never take
 * writes at once; when the partition heals it rejoins as a replica.
 */
class MasterPartitionIT {

    /** An address no test Redis listens on (LoopbackPorts hands out 127.0.0.2–250). */
    private static final String NOWHERE = "127.0.0.253";

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void cutOffMasterStopsWritesBeforeAReplicaIsPromotedAndRejoinsAfterwards() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 2);
             LinkCut link = new LinkCut("127.0.0.1", Integer.parseInt(TestDeployment.coordinatorPort(d)))) {
            d.startCoordinator();
            d.awaitHealthy();
            String oldName = masterName(d);
            RedisServer old = d.server(oldName);
            d.stopAgent(old);
            d.startAgent(old, link.url());
            d.awaitHealthy();
            List<RedisServer> replicas = d.servers().stream().filter(s -> s != old).toList();

            try (ContinuousWriter writer = ContinuousWriter.masterFollowing(FailoverChecks.masterOf(d), 200);
                 WriteProbe onOld = new WriteProbe(old);
                 WriteProbe onA = new WriteProbe(replicas.get(0));
                 WriteProbe onB = new WriteProbe(replicas.get(1))) {
                writer.awaitProgress(200, Duration.ofSeconds(20));
                Eventually.await(Duration.ofSeconds(5), "the probe writes to the master", () -> onOld.lastAck() > 0);

                long partitioned = System.nanoTime();
                link.cut();
                old.commands().configSet("bind", NOWHERE);
                old.commands().clientKill(io.lettuce.core.KillArgs.Builder.typeSlave());

                Eventually.await(Duration.ofSeconds(30), "a replica promoted", () -> onA.firstAck() > 0 || onB.firstAck() > 0,
                        () -> String.join("; ", d.topology().problems()));
                long promoted = Math.min(nonZero(onA.firstAck()), nonZero(onB.firstAck()));
                long oldLast = onOld.lastAck();
                System.out.println("partition: the old master's last acknowledged write came " + (oldLast - partitioned) / 1_000_000
                        + " ms after the cut; the first write on the new master " + (promoted - partitioned) / 1_000_000 + " ms after it");
                assertTrue(oldLast < promoted, "the old master took a write " + (oldLast - promoted) / 1_000_000
                        + " ms after a replica was promoted: two masters took writes at once");

                old.commands().configSet("bind", old.host());
                link.heal();
                TopologyDocument healed = d.awaitHealthy();
                assertNotEquals(oldName, healed.shards().get(0).master().name(), "the new master keeps its role");
                RedisServer current = d.server(healed.shards().get(0).master().name());
                Eventually.await(Duration.ofSeconds(20), oldName + " follows the new master", () -> isReplicaOf(old, current),
                        () -> old.commands().info("replication"));
                assertTrue(onOld.lastAck() == oldLast, "the old master took no write after the partition healed either");

                WriterReport report = writer.stopAndVerify();
                System.out.println("partition: writer " + report);
                assertTrue(report.wrongValue() == 0, report.toString());
            }
        }
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? Long.MAX_VALUE : nanos;
    }
}
