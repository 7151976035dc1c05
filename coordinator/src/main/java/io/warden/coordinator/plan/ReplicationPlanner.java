package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Plans replication mode: one master, R replicas. Only reachable nodes count.
 * <ol>
 *   <li>A failed master is replaced first ({@link ReplicationFailover}).</li>
 *   <li>The master M is the reachable master that the most reachable replicas follow (their master address is its
 *       address); when none is followed (all came back as masters), the node with the highest replication offset,
 *       then most keys, then data at start, then a master before a replica, then name. A superseded master (another
 *       node continues its replication history: it was failed over while cut off) is never M.</li>
 *   <li>Safety: when M holds no keys while replicas following it do, it restarted empty: the replica with the most
 *       data is promoted at once, before they resync from the empty master. When M holds no keys while another
 *       reachable node does, nothing else is done.</li>
 *   <li>When M is a replica (its master is gone), nothing is done: "no reachable master".</li>
 *   <li>Every other node not already following M is pointed at it: replicas of another address, superseded masters,
 *       and masters whose offset is at most M's (empty, or behind: they resync from M). A node ahead of M is left
 *       alone.</li>
 *   <li>Problems: unreachable nodes, fewer than R replicas following M, replica links down.</li>
 * </ol>
 */
final class ReplicationPlanner {

    private static final Comparator<NodeView> MOST_DATA = Comparator
            .comparingLong((NodeView n) -> -n.offset())
            .thenComparingLong(n -> -n.keys())
            .thenComparing(n -> !n.dataAtStart())
            .thenComparing(n -> !n.isMaster())
            .thenComparing(NodeView::name);

    private ReplicationPlanner() {
    }

    static Plan plan(ClusterView view, DesiredShape desired, FailoverPolicy policy) {
        List<NodeView> reachable = view.reachable();
        List<String> problems = new ArrayList<>(ClusterHealth.unreachable(view));
        if (reachable.isEmpty()) {
            problems.add(0, "no node is reachable");
            return Plan.nothing(Planner.idle(problems, ""), problems);
        }
        Optional<Decision> failover = ReplicationFailover.decide(view, policy);
        if (failover.isPresent()) {
            return acted(failover.get(), problems);
        }
        NodeView master = candidate(view).orElseThrow();
        Optional<Decision> emptyRestart = ReplicationFailover.emptyRestart(view, master, followers(reachable, master), policy);
        if (emptyRestart.isPresent()) {
            return acted(emptyRestart.get(), problems);
        }
        Optional<NodeView> withData = reachable.stream().filter(n -> n != master && n.keys() > 0).min(MOST_DATA);
        if (master.keys() == 0 && withData.isPresent()) {
            return blocked(problems, "master " + master.name() + " restarted empty while " + withData.get().name()
                    + " holds data; not letting it resync from the empty master");
        }
        if (!master.isMaster()) {
            return blocked(problems, "no reachable master (" + master.name() + ", a replica, has the most data)");
        }
        problems.addAll(health(reachable, master, desired));
        List<Step> steps = new ArrayList<>();
        for (NodeView n : reachable) {
            if (n == master || follows(n, master)) {
                continue;
            }
            if (view.superseded(n)) {
                steps.add(Step.replicaOf(n.name(), master.host(), master.port(), "a former master: " + view.continuedBy(n)
                        + " continues its replication history, so it rejoins as a replica (what it alone took is dropped)"));
            } else if (n.offset() > master.offset() && holdsData(n)) {
                problems.add(n.name() + " is ahead of master " + master.name() + " (offset " + n.offset() + " > " + master.offset()
                        + "); not repointing it");
            } else {
                steps.add(Step.replicaOf(n.name(), master.host(), master.port(), why(n, master)));
            }
        }
        if (steps.isEmpty()) {
            String healthy = "1 master × " + Planner.count(desired.replicas(), "replica") + " healthy";
            return Plan.nothing(Planner.idle(problems, healthy), problems);
        }
        String outcome = "pointing " + Planner.count(steps.size(), "node") + " at master " + master.name() + " (" + master.redisAddress() + ")";
        return new Plan(steps, outcome, problems);
    }

    /**
     * The master a tick works toward, and the one node the coordinator grants a master lease to: reachable, a master,
     * not superseded, and not the empty source of a resync (see the class comment). Empty when none qualifies.
     */
    static Optional<NodeView> leaseHolder(ClusterView view) {
        if (view.reachable().isEmpty()) {
            return Optional.empty();
        }
        NodeView master = candidate(view).orElseThrow();
        boolean emptyWhileOthersHoldData = master.keys() == 0 && view.reachable().stream().anyMatch(n -> n != master && n.keys() > 0);
        return master.isMaster() && !view.superseded(master) && !emptyWhileOthersHoldData ? Optional.of(master) : Optional.empty();
    }

    /** M of the class comment, before the safety checks. */
    private static Optional<NodeView> candidate(ClusterView view) {
        List<NodeView> eligible = view.reachable().stream().filter(n -> !view.superseded(n)).toList();
        List<NodeView> pool = eligible.isEmpty() ? view.reachable() : eligible;
        return followedMaster(pool).or(() -> pool.stream().min(MOST_DATA));
    }

    private static Plan acted(Decision decision, List<String> problems) {
        List<String> all = new ArrayList<>(decision.problems());
        all.addAll(problems);
        if (decision.acts()) {
            return new Plan(decision.steps(), decision.outcome(), all);
        }
        return Plan.nothing("nothing I can do: " + all.get(0), all);
    }

    private static Plan blocked(List<String> problems, String reason) {
        List<String> all = new ArrayList<>(List.of(reason));
        all.addAll(problems);
        return Plan.nothing("nothing I can do: " + reason, all);
    }

    /** The reachable master the most reachable replicas follow (ties: offset, then name), if any is followed. */
    private static Optional<NodeView> followedMaster(List<NodeView> reachable) {
        return reachable.stream()
                .filter(NodeView::isMaster)
                .filter(m -> followers(reachable, m).size() > 0)
                .min(Comparator.comparingInt((NodeView m) -> -followers(reachable, m).size())
                        .thenComparingLong(m -> -m.offset())
                        .thenComparing(NodeView::name));
    }

    private static List<NodeView> followers(List<NodeView> reachable, NodeView master) {
        return reachable.stream().filter(n -> follows(n, master)).toList();
    }

    private static boolean follows(NodeView n, NodeView master) {
        return n.isReplica() && n.masterAddress().equals(master.redisAddress());
    }

    private static boolean holdsData(NodeView n) {
        return n.keys() > 0 || n.dataAtStart();
    }

    private static String why(NodeView n, NodeView master) {
        if (n.isReplica()) {
            return "it follows " + (n.masterAddress().isEmpty() ? "no address" : n.masterAddress()) + ", not master " + master.name();
        }
        if (holdsData(n)) {
            return "demoting a master holding data: its offset " + n.offset() + " is at most master " + master.name() + "'s "
                    + master.offset() + ", so it resyncs from " + master.name() + " and drops what it alone holds";
        }
        return "an empty master joins " + master.name() + " as its replica";
    }

    private static List<String> health(List<NodeView> reachable, NodeView master, DesiredShape desired) {
        List<String> problems = new ArrayList<>();
        List<NodeView> followers = followers(reachable, master);
        if (followers.size() < desired.replicas()) {
            problems.add(followers.size() + " of " + desired.replicas() + " replicas follow master " + master.name());
        }
        followers.stream().filter(r -> !r.linkUp())
                .forEach(r -> problems.add(r.name() + "'s replication link to " + master.name() + " is down"));
        return problems;
    }
}
