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
}
