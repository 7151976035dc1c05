package io.warden.coordinator.plan;

import io.warden.coordinator.topology.NodeView;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which spare node takes a role, so that a shard's nodes, and the masters, spread across Kubernetes nodes and
 * zones. An unknown Kubernetes node or zone ("") is never counted as shared with anyone.
 */
final class Placement {

    private Placement() {
    }

    /**
     * A new master: first a Kubernetes node hosting the fewest slot masters, then a zone hosting the fewest,
     * then by name.
     */
    static Optional<NodeView> newMaster(Collection<NodeView> spares, List<NodeView> masters) {
        return spares.stream().min(Comparator
                .comparingLong((NodeView n) -> masters.stream().filter(m -> sameK8sNode(m, n)).count())
                .thenComparingLong(n -> masters.stream().filter(m -> sameZone(m, n)).count())
                .thenComparing(NodeView::name));
    }

    /**
     * A replica for {@code master}, whose shard is {@code shard} (master and replicas): first away from the
     * master's Kubernetes node, then away from its zone; then a spare that sits on the Kubernetes node of
     * another master still {@code waiting} for a replica (it cannot serve that one, so spend it here, or a greedy
     * pass strands it next to its own master); then on the Kubernetes node with fewest members of the shard;
     * then by name.
     */
    static Optional<NodeView> replica(Collection<NodeView> spares, NodeView master, List<NodeView> shard, List<NodeView> waiting) {
        return spares.stream().min(Comparator
                .comparing((NodeView n) -> sameK8sNode(master, n))
                .thenComparing(n -> sameZone(master, n))
                .thenComparing(n -> waiting.stream().noneMatch(w -> sameK8sNode(w, n)))
                .thenComparingLong(n -> shard.stream().filter(s -> sameK8sNode(s, n)).count())
                .thenComparing(NodeView::name));
    }

    /** Whether some reachable node's Kubernetes node hosts none of {@code shard}: a better place exists. */
    static boolean freeK8sNodeExists(Collection<NodeView> nodes, List<NodeView> shard) {
        return nodes.stream().anyMatch(n -> !n.k8sNode().isEmpty() && shard.stream().noneMatch(s -> sameK8sNode(s, n)));
    }

    static boolean sameK8sNode(NodeView a, NodeView b) {
        return !a.k8sNode().isEmpty() && a.k8sNode().equals(b.k8sNode());
    }

    static boolean sameZone(NodeView a, NodeView b) {
        return !a.zone().isEmpty() && a.zone().equals(b.zone());
    }
}
