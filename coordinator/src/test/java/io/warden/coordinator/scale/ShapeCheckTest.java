package io.warden.coordinator.scale;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;
import io.warden.common.redis.Role;
import io.warden.common.slots.SlotSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShapeCheckTest {

    private static final NodePool.Limits UNBOUNDED = new NodePool.Limits(Integer.MAX_VALUE, "", false);

    private static ClusterView onK8sNodes(Mode mode, String... k8sNodes) {
        List<NodeView> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < k8sNodes.length; i++) {
            nodes.add(new NodeView("redis-" + i, "10.0.0." + (i + 1) + ":6379", "http://10.0.0." + (i + 1) + ":9736", k8sNodes[i], "",
                    true, Role.MASTER, "", "", "", true, 0, 0, false, SlotSet.empty(), List.of(), Map.of()));
        }
        return new ClusterView(mode, nodes);
    }

    @Test
    void replicationModeHasOneShardAndSaysWhy() {
        assertEquals(Optional.of("replication mode runs one master and its replicas, so shards must be 1, got 2; "
                        + "shard the data with a cluster-mode deployment"),
                ShapeCheck.refusal(Mode.REPLICATION, 2, 1, onK8sNodes(Mode.REPLICATION, "a", "b"), UNBOUNDED));
        assertEquals(Optional.empty(), ShapeCheck.refusal(Mode.REPLICATION, 1, 1, onK8sNodes(Mode.REPLICATION, "a", "b"), UNBOUNDED));
    }

    @Test
    void moreReplicasThanKubernetesNodesCanKeepApartIsRefused() {
        assertEquals(Optional.of("a shard of 1 master + 2 replicas needs 3 Kubernetes nodes to keep its members apart, "
                        + "but the agents run on only 2 (a, b)"),
                ShapeCheck.refusal(Mode.CLUSTER, 3, 2, onK8sNodes(Mode.CLUSTER, "a", "b", "a", "b"), UNBOUNDED));
        assertEquals(Optional.empty(), ShapeCheck.refusal(Mode.CLUSTER, 3, 2, onK8sNodes(Mode.CLUSTER, "a", "b"),
                new NodePool.Limits(100, "", true)), "a pool that adds Kubernetes nodes of its own can spread them");
    }

    @Test
    void morNodesThanThePoolRunsIsRefusedNamingTheBound() {
        assertEquals(Optional.of("100 shards × (1 + 2 replicas) = 300 nodes, but at most 244 can run here (local mode has the addresses "
                        + "127.0.0.11-254)"),
                ShapeCheck.refusal(Mode.CLUSTER, 100, 2, onK8sNodes(Mode.CLUSTER, ""), new NodePool.Limits(244,
                        "local mode has the addresses 127.0.0.11-254", true)));
        assertEquals(Optional.of("shards must be from 1 to 16384, got 0"), ShapeCheck.refusal(Mode.CLUSTER, 0, 1, onK8sNodes(Mode.CLUSTER), UNBOUNDED));
    }
}
