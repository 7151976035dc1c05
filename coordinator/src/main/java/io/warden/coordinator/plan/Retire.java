package io.warden.coordinator.plan;

import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The last phase of a smaller shape: once the retiring nodes serve no slot,
 * <ol>
 *   <li>replicas that stay but follow a retiring master follow a kept master instead (the one with fewest
 *       replicas, away from their Kubernetes node), since no node may forget its own master;</li>
 *   <li>every other node forgets the retiring ones, all in one tick (a {@code CLUSTER FORGET} bans the node for
 *       60 s, and the retiring nodes, forgotten together, cannot gossip each other back in meanwhile);</li>
 *   <li>then each retiring node is stopped ({@link Retirement#releasable}), once it has served nothing for
 *       {@link #CLIENT_GRACE}: until then it still answers a client that routes to it with a redirection (MOVED,
 *       which also makes the client refresh its slot map).</li>
 * </ol>
 * It is not reset first. A reset node owns nothing and knows no peer, and a client that takes its slot map from it
 * (Lettuce's refresh sometimes did, in {@code ScaleIT}) finds slots with no owner; a running forgotten node keeps a
 * correct map, and a stopped one answers nothing. Nor can it come back by itself: a node ignores every message but
 * MEET from a node it does not know, and the nodes that stay forgot it.
 */
final class Retire {

    /** How long a node that gave its last slot away keeps answering clients with redirections before it is reset. */
    static final Duration CLIENT_GRACE = Duration.ofSeconds(5);

    private Retire() {
    }

    static Decision plan(ClusterState s, DesiredShape desired) {
        List<NodeView> retiringUp = s.view().reachable().stream()
                .filter(n -> s.retiring().contains(n.name()) && !n.nodeId().isEmpty()).toList();
        if (retiringUp.stream().anyMatch(n -> !n.slots().isEmpty())
                || s.members().stream().anyMatch(n -> !n.openSlots().isEmpty() || n.movingSlots())) {
            return Decision.none(List.of());
        }
        List<NodeView> leaving = retiringUp.stream()
                .filter(n -> s.members().contains(n) || s.members().stream().anyMatch(m -> m.peer(n.nodeId()).isPresent()))
                .toList();
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
        List<Step> forgets = new ArrayList<>();
        for (NodeView gone : leaving) {
            staying.stream().filter(m -> m.peer(gone.nodeId()).isPresent())
                    .forEach(m -> forgets.add(Step.forget(m.name(), gone.nodeId(), gone.name() + " is retiring")));
        }
        if (!forgets.isEmpty()) {
            return new Decision(forgets, "retiring " + names(leaving) + ": forgotten by every other node", List.of());
        }
        // Forgotten by every node that stays: the pool stops it once clients have had their grace (Retirement#releasable).
        List<String> waiting = retiringUp.stream()
                .filter(n -> !leaving.contains(n) && !Retirement.clientGraceOver(s.view(), n))
                .map(n -> n.name() + " is retiring: it keeps redirecting clients for " + CLIENT_GRACE.toSeconds()
                        + " s after serving its last slot, then is stopped")
                .toList();
        return Decision.none(waiting);
    }

    private static String names(List<NodeView> nodes) {
        return String.join(", ", nodes.stream().map(NodeView::name).toList());
    }

    private static Optional<NodeView> newMaster(ClusterState s, List<NodeView> staying, NodeView replica) {
        return s.slotMasters().stream().filter(staying::contains).min(Comparator
                .comparingLong((NodeView m) -> staying.stream().filter(r -> r.isReplica() && m.nodeId().equals(r.masterNodeId())).count())
                .thenComparing(m -> Placement.sameK8sNode(m, replica))
                .thenComparing(NodeView::name));
    }
}
