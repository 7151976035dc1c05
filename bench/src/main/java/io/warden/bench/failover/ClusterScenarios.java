package io.warden.bench.failover;

import io.lettuce.core.cluster.SlotHash;
import io.warden.testkit.ContinuousWriter;
import io.warden.testkit.RedisServer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Plain Redis Cluster 3x1: a hand-issued {@code CLUSTER FAILOVER}, and kill -9 of a master. */
final class ClusterScenarios {

    /** Every write of every scenario carries this hash tag: one slot, so one shard takes them all. */
    static final String HASH_TAG = "bench";
    static final int TAG_SLOT = SlotHash.getSlot(HASH_TAG);
    private static final int PLANNED_NODE_TIMEOUT_MS = 15_000;

    private ClusterScenarios() {
    }

    /** {@code CLUSTER FAILOVER} (the default, coordinated form) on the replica of the shard being written. */
    static Scenario plannedFailover(int rate) {
        return new Scenario("planned-cluster-failover", "planned: Redis Cluster, CLUSTER FAILOVER on the replica", false,
                () -> {
                    try (PlainCluster cluster = PlainCluster.start(PLANNED_NODE_TIMEOUT_MS);
                         RoleProbe probe = new RoleProbe();
                         ContinuousWriter writer = ContinuousWriter.cluster(cluster.seeds(), rate, HASH_TAG)) {
                        RedisServer master = cluster.masterOf(TAG_SLOT);
                        RedisServer replica = cluster.replicaOf(master);
                        return Disruption.measure(writer, () -> replica.commands().clusterFailover(false),
                                () -> probe.moved(PlainCluster.socket(master), List.of(PlainCluster.socket(replica))), Duration.ofSeconds(30));
                    }
                });
    }

    /** SIGKILL of the master of the shard being written; Redis Cluster's own failover after {@code nodeTimeoutMs}. */
    static Scenario killMaster(int nodeTimeoutMs, int rate) {
        return new Scenario("kill-cluster-nt" + nodeTimeoutMs, "unplanned: Redis Cluster, cluster-node-timeout " + nodeTimeoutMs, false,
                () -> {
                    try (PlainCluster cluster = PlainCluster.start(nodeTimeoutMs);
                         RoleProbe probe = new RoleProbe();
                         ContinuousWriter writer = ContinuousWriter.cluster(cluster.seeds(), rate, HASH_TAG)) {
                        RedisServer master = cluster.masterOf(TAG_SLOT);
                        InetSocketAddress replica = PlainCluster.socket(cluster.replicaOf(master));
                        return Disruption.measure(writer, () -> {
                            master.kill();
                            return "";
                        }, () -> probe.moved(PlainCluster.socket(master), List.of(replica)), Duration.ofMillis(3L * nodeTimeoutMs + 30_000));
                    }
                });
    }
}
