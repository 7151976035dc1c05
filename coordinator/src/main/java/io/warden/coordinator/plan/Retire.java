package io.warden.coordinator.plan;

import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The last phase of a smaller shape: once the retiring nodes serve no slot,
 * <ol>
 *   <li>replicas that stay but follow a retiring master follow a kept master instead (the one with fewest
 *       replicas, away from their Kubernetes node), since no node may forget its own master;</li>
 *   <li>then, all in one tick (the {@code CLUSTER FORGET} ban lasts 60 s): every retiring node is reset so it
 *       forgets its peers and gossips nobody back in, and every other node forgets it.</li>
 * </ol>
 * A retiring node reset and forgotten holds nothing: {@link Retirement#releasable} lets it be stopped.
 */
final class Retire {

    private Retire() {
    }

    static Decision plan(ClusterState s, DesiredShape desired) {
        List<NodeView> leaving = s.view().reachable().stream()
                .filter(n -> s.retiring().contains(n.name()) && !n.nodeId().isEmpty())
                .filter(n -> s.members().contains(n) || s.members().stream().anyMatch(m -> m.peer(n.nodeId()).isPresent()))
                .toList();
        if (leaving.isEmpty() || leaving.stream().anyMatch(n -> !n.slots().isEmpty())
                || s.members().stream().anyMatch(n -> !n.openSlots().isEmpty() || n.movingSlots())) {
            return Decision.none(List.of());
        }
        List<NodeView> staying = s.members().stream().filter(n -> !s.retiring().contains(n.name())).toList();
        List<Step> repoint = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (NodeView replica : staying) {
            if (replica.isReplica() && leaving.stream().anyMatch(l -> l.nodeId().equals(replica.masterNodeId()))) {
                Optional<NodeView> master = newMaster(s, staying, replica);
                if (master.isPresent()) {
                    repoint.add(Step.replicate(replica.name(), master.get().nodeId(), "its master is retiring"));
                } else {
                    problems.add(replica.name() + " follows a retiring master and no kept master is left to follow");
                }
            }
        }
        if (!repoint.isEmpty() || !problems.isEmpty()) {
            return new Decision(repoint, "re-pointing " + Planner.count(repoint.size(), "replica") + " away from retiring masters", problems);
        }
        List<Step> steps = new ArrayList<>();
        for (NodeView gone : leaving) {
            if (!gone.peers().isEmpty()) {
                steps.add(Step.resetSoft(gone.name(), gone.name() + " is retiring: it forgets its peers"));
            }
            staying.stream().filter(m -> m.peer(gone.nodeId()).isPresent())
                    .forEach(m -> steps.add(Step.forget(m.name(), gone.nodeId(), gone.name() + " is retiring")));
        }
        return new Decision(steps, "retiring " + String.join(", ", leaving.stream().map(NodeView::name).toList())
                + ": reset, and forgotten by every other node", List.of());
    }

    private static Optional<NodeView> newMaster(ClusterState s, List<NodeView> staying, NodeView replica) {
        return s.slotMasters().stream().filter(staying::contains).min(Comparator
                .comparingLong((NodeView m) -> staying.stream().filter(r -> r.isReplica() && m.nodeId().equals(r.masterNodeId())).count())
                .thenComparing(m -> Placement.sameK8sNode(m, replica))
                .thenComparing(NodeView::name));
    }
}
