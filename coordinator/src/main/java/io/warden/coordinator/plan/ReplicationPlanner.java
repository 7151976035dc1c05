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
 *   <li>The master M is the reachable master that the most reachable replicas follow (their master address is its
 *       address); when none is followed (all came back as masters), the node with the highest replication offset,
 *       then most keys, then data at start, then a master before a replica, then name.</li>
 *   <li>Safety: when M holds no keys while another reachable node does, nothing is done: M restarted empty and
 *       must not become the source of a full resync (a later failover promotes the node with data).</li>
 *   <li>When M is a replica (its master is gone), nothing is done: "no reachable master".</li>
 *   <li>Every other node not already following M is pointed at it: replicas of another address, and masters
 *       whose offset is at most M's (empty, or behind: they resync from M). A node ahead of M is left alone.</li>
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

    static Plan plan(ClusterView view, DesiredShape desired) {
        List<NodeView> reachable = view.reachable();
        List<String> problems = new ArrayList<>(ClusterHealth.unreachable(view));
        if (reachable.isEmpty()) {
            problems.add(0, "no node is reachable");
            return Plan.nothing(Planner.idle(problems, ""), problems);
        }
        Optional<NodeView> followed = followedMaster(reachable);
        NodeView master = followed.orElseGet(() -> reachable.stream().min(MOST_DATA).orElseThrow());
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
            if (n.offset() > master.offset() && holdsData(n)) {
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
