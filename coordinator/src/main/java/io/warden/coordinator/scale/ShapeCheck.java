package io.warden.coordinator.scale;

import io.warden.common.slots.SlotRange;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;

import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether a requested shape can be held at all, or why not, before anything is recorded. Pure.
 * <ol>
 *   <li>Numbers in range; replication mode has exactly one shard.</li>
 *   <li>The pool can run {@code shards × (1 + replicas)} nodes.</li>
 *   <li>A shard's members sit on different Kubernetes nodes: {@code 1 + replicas} must not exceed the Kubernetes
 *       nodes the agents report, unless the pool adds nodes of its own (local mode).</li>
 * </ol>
 */
public final class ShapeCheck {

    static final int MAX_REPLICAS = 100;

    private ShapeCheck() {
    }

    public static Optional<String> refusal(Mode mode, int shards, int replicas, ClusterView view, NodePool.Limits limits) {
        if (mode == Mode.REPLICATION && shards != 1) {
            return Optional.of("replication mode runs one master and its replicas, so shards must be 1, got " + shards
                    + "; shard the data with a cluster-mode deployment");
        }
        if (shards < 1 || shards > SlotRange.SLOTS) {
            return Optional.of("shards must be from 1 to " + SlotRange.SLOTS + ", got " + shards);
        }
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            return Optional.of("replicas must be from 0 to " + MAX_REPLICAS + ", got " + replicas);
        }
        long nodes = (long) shards * (1 + replicas);
        if (nodes > limits.maxNodes()) {
            return Optional.of(shards + " shards × (1 + " + replicas + " replicas) = " + nodes + " nodes, but at most " + limits.maxNodes()
                    + " can run here (" + limits.why() + ")");
        }
        TreeSet<String> k8sNodes = new TreeSet<>();
        view.nodes().stream().map(NodeView::k8sNode).filter(k -> !k.isEmpty()).forEach(k8sNodes::add);
        boolean allPlaced = !view.nodes().isEmpty() && view.nodes().stream().noneMatch(n -> n.k8sNode().isEmpty());
        if (!limits.addsK8sNodes() && allPlaced && 1 + replicas > k8sNodes.size()) {
            return Optional.of("a shard of 1 master + " + replicas + " replicas needs " + (1 + replicas)
                    + " Kubernetes nodes to keep its members apart, but the agents run on only " + k8sNodes.size()
                    + " (" + String.join(", ", k8sNodes) + ")");
        }
        return Optional.empty();
    }
}
