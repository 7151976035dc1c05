package io.warden.coordinator.plan;

import io.warden.coordinator.plan.FailoverSafety.Verdict;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.NodeView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Replication mode's unplanned failover (Warden in Sentinel's place). Pure; "now" is the view's time.
 * <ol>
 *   <li>The situation: reachable replicas follow an address where no reachable master is, and no reachable master
 *       holding data is left to repoint them to (that is {@link ReplicationPlanner}'s ordinary job).</li>
 *   <li>Agreement ({@link FailoverSafety#agreedSince}): every one of those replicas reports its link down. A master
 *       whose agent fell silent while its replicas still replicate from it is alive: nothing is done (and it has
 *       fenced itself if it lost its lease).</li>
 *   <li>When the master's own agent says its process is gone (connection refused), that is conclusive: it is
 *       declared failed at once (a Redis that restarts comes back as a replica: the role file). Otherwise (agent
 *       silent, Redis timing out) once the agreement is {@code downAfter} old: its lease, shorter than that, has run
 *       out by then, and its replicas stopped acknowledging, so it no longer takes writes even if only the network
 *       failed.</li>
 *   <li>The best replica within the lag limit is promoted; the other replicas follow it in the same plan.</li>
 * </ol>
 */
final class ReplicationFailover {

    private ReplicationFailover() {
    }

    /** A decision when a master has failed or is suspected (steps only once it is declared failed); else empty. */
    static Optional<Decision> decide(ClusterView view, FailoverPolicy policy) {
        List<NodeView> reachable = view.reachable();
        boolean masterWithData = reachable.stream()
                .anyMatch(n -> n.isMaster() && (n.keys() > 0 || n.dataAtStart()) && !view.superseded(n));
        if (masterWithData) {
            return Optional.empty();
        }
        Map<String, List<NodeView>> byAddress = reachable.stream()
                .filter(n -> n.isReplica() && !n.masterAddress().isEmpty())
                .filter(n -> reachable.stream().noneMatch(m -> m.isMaster() && m.redisAddress().equals(n.masterAddress())))
                .collect(Collectors.groupingBy(NodeView::masterAddress));
        Optional<Map.Entry<String, List<NodeView>>> orphaned = byAddress.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<String, List<NodeView>> e) -> e.getValue().size())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
        if (orphaned.isEmpty()) {
            return Optional.empty();
        }
        String address = orphaned.get().getKey();
        List<NodeView> followers = orphaned.get().getValue();
        Optional<NodeView> failed = view.byAddress(address);
        String label = failed.map(f -> f.name() + " (" + address + ")").orElse(address);
        Optional<Instant> since = FailoverSafety.agreedSince(view, followers);
        if (since.isEmpty()) {
            return Optional.empty(); // a replica still replicates from it, or no link-down time is known yet: no agreement
        }
        boolean gone = failed.map(f -> !f.reachable() && view.signals(f).redisGone()).orElse(false);
        Duration left = FailoverSafety.remaining(view, since.get(), gone ? Duration.ZERO : policy.downAfter());
        if ((!left.isNegative() && !left.isZero())) {
            return Optional.of(Decision.none(List.of("master " + label + " is down: its replicas agree for "
                    + policy.downAfter().minus(left).toMillis() + " of " + policy.downAfter().toMillis() + " ms")));
        }
        Verdict verdict = FailoverSafety.bestReplica(view, failed, label, followers, policy);
        if (!verdict.allowed()) {
            return Optional.of(Decision.none(List.of(verdict.reason())));
        }
        NodeView chosen = verdict.replica().orElseThrow();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.promote(chosen.name(), "master " + label + (gone ? " is gone; " : " failed; ") + chosen.name() + " has the highest offset ("
                + chosen.offset() + ")"));
        followers.stream().filter(f -> f != chosen).forEach(f -> steps.add(Step.replicaOf(f.name(), chosen.host(), chosen.port(),
                "follows the new master " + chosen.name() + " after " + label + " failed")));
        return Optional.of(new Decision(steps, "failing over from master " + label + ": promoting " + chosen.name()
                + ", " + Planner.count(steps.size() - 1, "replica") + " follow it", List.of()));
    }

    /**
     * A master that came back empty while replicas that follow it still hold data: they are about to resync from it
     * and lose everything. No waiting: the best of them is promoted now, the others and the empty master follow it
     * (the empty master has nothing to lose). A follower counts only when its link is down and it is on another
     * replication history than the master (the restart began a new one): reports arrive at different moments, and a
     * replica reporting keys an instant before its master does is no evidence of anything.
     */
    static Optional<Decision> emptyRestart(ClusterView view, NodeView master, List<NodeView> followers, FailoverPolicy policy) {
        String history = view.signals(master).replicationId();
        List<NodeView> holding = followers.stream()
                .filter(f -> f.keys() > 0 && !f.linkUp() && !history.isEmpty())
                .filter(f -> !view.signals(f).replicationId().isEmpty() && !view.signals(f).replicationId().equals(history)
                        && !view.signals(f).continues(history))
                .toList();
        if (master.keys() > 0 || holding.isEmpty()) {
            return Optional.empty();
        }
        Verdict verdict = FailoverSafety.bestReplica(view, Optional.empty(), master.name(), holding, policy);
        NodeView chosen = verdict.replica().orElseThrow();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.promote(chosen.name(), "master " + master.name() + " restarted empty; " + chosen.name()
                + " holds the most data (offset " + chosen.offset() + ")"));
        followers.stream().filter(f -> f != chosen).forEach(f -> steps.add(Step.replicaOf(f.name(), chosen.host(), chosen.port(),
                "follows " + chosen.name() + ", not the empty " + master.name())));
        steps.add(Step.replicaOf(master.name(), chosen.host(), chosen.port(), "restarted empty: it takes the data from "
                + chosen.name() + " instead of handing its empty dataset to the replicas"));
        return Optional.of(new Decision(steps, "master " + master.name() + " restarted empty while " + chosen.name()
                + " holds data: promoting " + chosen.name() + " before the replicas resync from the empty master", List.of()));
    }
}
