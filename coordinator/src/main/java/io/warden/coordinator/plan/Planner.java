package io.warden.coordinator.plan;

import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;

import java.util.List;
import java.util.Optional;

/**
 * Pure planning: from one observed snapshot and the desired shape to the next steps. No I/O, no clock, no state
 * kept between ticks, so the same view always yields the same plan.
 * <ol>
 *   <li>The observed mode must be the desired one; a mismatch is reported, never acted on.</li>
 *   <li>Cluster mode: {@link ClusterPlanner} (fail over dead masters, connect, close open slots, cover slots, add replicas).</li>
 *   <li>Replication mode: {@link ReplicationPlanner} (fail over a dead master, pick the master, point every other node at it).</li>
 * </ol>
 * One decision per tick: the first phase that has steps returns them, and the plan's problems always list
 * everything that keeps the deployment from being healthy.
 */
public final class Planner {

    private Planner() {
    }

    public static Plan plan(ClusterView observed, DesiredShape desired) {
        return plan(observed, desired, FailoverPolicy.DEFAULTS);
    }

    /** @param failover how readily a dead master is replaced (both modes) */
    public static Plan plan(ClusterView observed, DesiredShape desired, FailoverPolicy failover) {
        if (observed.mode() != desired.mode()) {
            String problem = "nodes run in " + observed.mode().wireName() + " mode but " + desired.mode().wireName() + " mode is desired";
            return Plan.nothing("nothing to do: " + problem, List.of(problem));
        }
        return switch (desired.mode()) {
            case CLUSTER -> ClusterPlanner.plan(observed, desired, failover);
            case REPLICATION -> ReplicationPlanner.plan(observed, desired, failover);
        };
    }

    /** Replication mode: the one node that may hold the master lease now, if any (see {@link ReplicationPlanner}). */
    public static Optional<NodeView> leaseHolder(ClusterView observed) {
        return observed.mode() == Mode.REPLICATION ? ReplicationPlanner.leaseHolder(observed) : Optional.empty();
    }

    /**
     * Whether the desired shape's restore plan is spent: every restored node joined and every slot served (cluster
     * mode). Then the plan can be dropped from the shape, and restored nodes are ordinary members.
     */
    public static boolean restoreComplete(ClusterView observed, DesiredShape desired) {
        return desired.restore().active() && observed.mode() == Mode.CLUSTER && RestoreCoverage.complete(observed, desired);
    }

    /** "1 shard", "3 shards". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The outcome of a tick that took no step. */
    static String idle(List<String> problems, String healthy) {
        if (problems.isEmpty()) {
            return "nothing to do: " + healthy;
        }
        String more = problems.size() == 1 ? "" : " (and " + count(problems.size() - 1, "more problem") + ")";
        return "nothing I can do: " + problems.get(0) + more;
    }
}
