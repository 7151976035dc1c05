package io.warden.coordinator.topology;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable snapshot of every node the coordinator knows, for one tick. Nodes are sorted by name.
 *
 * @param at      when the view was built, on the coordinator's clock: the planner's only "now"
 * @param signals by node name, what failover needs beyond the reports (see {@link NodeSignals})
 */
public record ClusterView(Mode mode, List<NodeView> nodes, Instant at, Map<String, NodeSignals> signals) {

    public ClusterView {
        nodes = nodes.stream().sorted(Comparator.comparing(NodeView::name)).toList();
        signals = Map.copyOf(signals);
    }

    /** A view without history (built by hand, or by a test). */
    public ClusterView(Mode mode, List<NodeView> nodes) {
        this(mode, nodes, Instant.EPOCH, Map.of());
    }

    public List<NodeView> reachable() {
        return nodes.stream().filter(NodeView::reachable).toList();
    }

    public Optional<NodeView> byName(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<NodeView> byNodeId(String nodeId) {
        if (nodeId == null || nodeId.isEmpty()) {
            return Optional.empty();
        }
        return nodes.stream().filter(n -> nodeId.equals(n.nodeId())).findFirst();
    }

    public Optional<NodeView> byAddress(String redisAddress) {
        return nodes.stream().filter(n -> n.redisAddress().equals(redisAddress)).findFirst();
    }

    /** Reachable masters that serve at least one slot (cluster mode). */
    public List<NodeView> slotMasters() {
        return reachable().stream().filter(n -> n.isMaster() && !n.slots().isEmpty()).toList();
    }

    public NodeSignals signals(NodeView node) {
        return signals.getOrDefault(node.name(), NodeSignals.NONE);
    }

    /**
     * Replication mode: a master another reachable node has continued from (its replication ID is that node's
     * {@code master_replid2}). It was failed or switched over — perhaps it has not noticed, or not reported yet —
     * and must rejoin as a replica; it is never the master to publish or to follow.
     */
    public boolean superseded(NodeView node) {
        return node.isMaster() && !continuedBy(node).isEmpty();
    }

    /** The name of a reachable node that continued {@code node}'s replication history, or "" when none did. */
    public String continuedBy(NodeView node) {
        String history = signals(node).replicationId();
        return reachable().stream().filter(n -> n != node && signals(n).continues(history))
                .map(NodeView::name).findFirst().orElse("");
    }
}
