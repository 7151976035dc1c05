package io.warden.coordinator.it;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.RedisServer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What the failover ITs share: how a master-following client finds the master, and how to read the topology. */
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
}
