package io.warden.bench.failover;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain Redis Cluster of 3 masters x 1 replica on free loopback addresses, made the way its users make one
 * ({@code redis-cli --cluster create --cluster-replicas 1}), with the {@code cluster-node-timeout} given.
 * Closing kills every node and deletes its directory.
 */
final class PlainCluster implements AutoCloseable {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final RedisServers servers = new RedisServers();
    private final List<RedisServer> nodes = new ArrayList<>();

    private PlainCluster() {
    }

    static PlainCluster start(int nodeTimeoutMs) {
        PlainCluster cluster = new PlainCluster();
        try {
            cluster.create(nodeTimeoutMs);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void create(int nodeTimeoutMs) {
        RedisSpec spec = RedisSpec.standalone().clusterEnabled().withArgs("--cluster-node-timeout", Integer.toString(nodeTimeoutMs));
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        for (int i = 0; i < 6; i++) {
            RedisServer node = servers.start(spec);
            OwnProcesses.started(node.pid(), "redis-server " + node.address());
            nodes.add(node);
            args.add(node.address());
        }
        args.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        RedisCli.Result created = RedisCli.run(args.toArray(String[]::new));
        if (created.exit() != 0) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + created.output());
        }
        // Settled when every node is ok, knows all six, and sees three replicas attached: the views agree.
        Eventually.await(SETTLE, "every node to see 6 nodes, 3 of them replicas, and cluster_state:ok", () -> nodes.stream().allMatch(n -> {
            String info = n.commands().clusterInfo();
            long replicas = ClusterPartitionParser.parse(n.commands().clusterNodes()).getPartitions().stream()
                    .filter(p -> p.is(RedisClusterNode.NodeFlag.REPLICA) && p.getSlaveOf() != null).count();
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:6") && replicas == 3;
        }));
        Eventually.await(SETTLE, "every replica in sync", () -> nodes.stream().allMatch(n -> {
            String info = n.commands().info("replication");
            return info.contains("role:master") || info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0");
        }));
    }

    /** The master that owns {@code slot}, as the cluster says. */
    RedisServer masterOf(int slot) {
        return byAddress(partitions().getMasterBySlot(slot));
    }

    /** The (first) replica of {@code master}, as the replica itself says (its own line of CLUSTER NODES). */
    RedisServer replicaOf(RedisServer master) {
        String masterId = master.commands().clusterMyId();
        return nodes.stream().filter(n -> masterId.equals(myself(n).getSlaveOf())).findFirst()
                .orElseThrow(() -> new IllegalStateException(master.address() + " has no replica"));
    }

    List<InetSocketAddress> seeds() {
        return nodes.stream().map(PlainCluster::socket).toList();
    }

    static InetSocketAddress socket(RedisServer server) {
        return new InetSocketAddress(server.host(), server.port());
    }

    private static RedisClusterNode myself(RedisServer node) {
        return ClusterPartitionParser.parse(node.commands().clusterNodes()).getPartitions().stream()
                .filter(n -> n.is(RedisClusterNode.NodeFlag.MYSELF)).findFirst()
                .orElseThrow(() -> new IllegalStateException(node.address() + " does not list itself in CLUSTER NODES"));
    }

    private Partitions partitions() {
        return ClusterPartitionParser.parse(nodes.get(0).commands().clusterNodes());
    }

    private RedisServer byAddress(RedisClusterNode node) {
        String address = address(node);
        return nodes.stream().filter(n -> n.address().equals(address)).findFirst()
                .orElseThrow(() -> new IllegalStateException(address + " is not one of this cluster's servers"));
    }

    private static String address(RedisClusterNode node) {
        return node.getUri().getHost() + ":" + node.getUri().getPort();
    }

    @Override
    public void close() {
        nodes.forEach(n -> OwnProcesses.stopped(n.pid()));
        servers.close();
    }
}
