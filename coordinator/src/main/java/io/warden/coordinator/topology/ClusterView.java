package io.warden.coordinator.topology;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One immutable snapshot of every node the coordinator knows, for one tick. Nodes are sorted by name. */
public record ClusterView(Mode mode, List<NodeView> nodes) {

    public ClusterView {
        nodes = nodes.stream().sorted(Comparator.comparing(NodeView::name)).toList();
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

    /** Reachable masters that serve at least one slot (cluster mode). */
    public List<NodeView> slotMasters() {
        return reachable().stream().filter(n -> n.isMaster() && !n.slots().isEmpty()).toList();
    }
}
