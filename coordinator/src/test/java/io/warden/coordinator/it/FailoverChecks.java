package io.warden.coordinator.it;

import io.lettuce.core.cluster.SlotHash;
import io.warden.common.slots.SlotRange;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.RedisServer;
import io.warden.testkit.WriterReport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the failover ITs share: how a master-following client finds the master, how to read the topology, and what a
 * restart may lose.
 */
final class FailoverChecks {

    private FailoverChecks() {
    }

    /** A Sentinel-style locator: asks every server ROLE, takes the first master. */
    static Supplier<Optional<InetSocketAddress>> masterOf(TestDeployment d) {
        return ContinuousWriter.firstMasterOf(() -> d.servers().stream()
                .map(s -> new InetSocketAddress(s.host(), s.port())).toList());
    }

    static String masterName(TestDeployment d) {
        TopologyDocument doc = d.topology();
        return doc.shards().isEmpty() ? "" : doc.shards().get(0).master().name();
    }

    static boolean isReplicaOf(RedisServer node, RedisServer master) {
        try {
            String info = node.commands().info("replication");
            return info.contains("role:slave") && info.contains("master_host:" + master.host())
                    && info.contains("master_port:" + master.port()) && info.contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    static List<String> replicaNames(TopologyDocument doc) {
        return doc.shards().get(0).replicas().stream().map(TopologyDocument.Member::name).toList();
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** {@code prefix + i} for the first i whose hash slot lies in {@code range} (a key, or a hash tag). */
    static String nameInSlots(String prefix, SlotRange range) {
        for (int i = 0; ; i++) {
            int slot = SlotHash.getSlot(prefix + i);
            if (slot >= range.start() && slot <= range.end()) {
                return prefix + i;
            }
        }
    }

    /**
     * Only writes acknowledged at or after the writer's {@code writtenBefore}-th may be lost: the ones before were
     * replicated before the restart (keys end in {@code w:<n>}).
     */
    static void assertNoneLostBefore(WriterReport report, long writtenBefore) {
        for (String key : report.sampleLostKeys()) {
            long n = Long.parseLong(key.substring(key.indexOf("w:") + 2));
            assertTrue(n >= writtenBefore, key + " was acknowledged before the restart and is lost: " + report);
        }
    }
}
