package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which nodes a smaller shape leaves out, and when one may be stopped. Nodes are ranked as a StatefulSet ranks its
 * pods, by the ordinal ending their name ({@code redis-7}), then by name: the first {@code shards × (1 + replicas)}
 * stay, the rest retire — the pods a StatefulSet scaled down removes, and the processes local mode stops. Pure.
 */
public final class Retirement {

    private static final Comparator<NodeView> RANK = Comparator.comparingLong((NodeView n) -> ordinal(n.name())).thenComparing(NodeView::name);

    private Retirement() {
    }

    /** Names of the nodes beyond the desired count, once the shape is enforced (none before). */
    public static Set<String> retiring(ClusterView view, DesiredShape desired) {
        if (!desired.enforced()) {
            return Set.of();
        }
        List<NodeView> ranked = view.nodes().stream().sorted(RANK).toList();
        Set<String> retiring = new LinkedHashSet<>();
        ranked.subList(Math.min(ranked.size(), desired.nodesNeeded()), ranked.size()).forEach(n -> retiring.add(n.name()));
        return retiring;
    }

    /**
     * Retiring nodes that hold nothing any more and that no staying reachable node knows: stopping them changes nothing.
     * Cluster mode: no slots, no open slot, forgotten by every node that stays (retiring ones, forgotten together, may
     * still know each other), and serving nothing for {@link Retire#CLIENT_GRACE} (or reset, as before session 7).
     * Replication mode: replicas (a retiring master waits for a switchover). An unreachable one nobody knows is gone
     * already.
     */
    public static List<String> releasable(ClusterView view, DesiredShape desired) {
        Set<String> retiring = retiring(view, desired);
        return view.nodes().stream().filter(n -> retiring.contains(n.name())).filter(n -> switch (view.mode()) {
            case CLUSTER -> n.slots().isEmpty() && n.openSlots().isEmpty()
                    && (!n.reachable() || n.peers().isEmpty() || clientGraceOver(view, n))
                    && view.reachable().stream().noneMatch(o -> o != n && !retiring.contains(o.name()) && !n.nodeId().isEmpty()
                            && o.peer(n.nodeId()).isPresent());
            case REPLICATION -> n.isReplica() || !n.reachable();
        }).map(NodeView::name).toList();
    }

    /** Whether {@code node} has served no slot for {@link Retire#CLIENT_GRACE}, so clients no longer route to it. */
    static boolean clientGraceOver(ClusterView view, NodeView node) {
        return view.signals(node).servingNothingSince()
                .map(since -> !since.plus(Retire.CLIENT_GRACE).isAfter(view.at()))
                .orElse(false);
    }

    /** The number ending a pod-like name ("redis-12" → 12); names without one rank after every numbered name. */
    static long ordinal(String name) {
        int i = name.length();
        while (i > 0 && Character.isDigit(name.charAt(i - 1))) {
            i--;
        }
        if (i == name.length() || name.length() - i > 9) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(name.substring(i));
    }

    static Comparator<NodeView> rank() {
        return RANK;
    }
}
