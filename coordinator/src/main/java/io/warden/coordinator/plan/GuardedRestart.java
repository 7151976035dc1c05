package io.warden.coordinator.plan;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.RestartedMaster;
import io.warden.common.wire.Action;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * DESIGN.md hazard 3 in cluster mode: a master that restarted (perhaps without its data) comes back under its start
 * guard, refusing reads, writes and PSYNC (the agent's {@code StartGuard}), so none of its replicas can resync from
 * it. This decides who holds the shard's data. Pure. For each reachable guarded master M, the first that applies:
 * <ol>
 *   <li>Another reachable master serves some of M's slots: the shard already failed over while M was away. Gossip
 *       makes M a replica of the new owner, and M's agent then lifts the guard itself. Nothing to do.</li>
 *   <li>A replica M's view lists is neither reporting here nor marked failing in M's view: it may hold the data
 *       (a whole deployment restarting). Wait for it.</li>
 *   <li>The reachable replica of M holding the most keys (then the highest offset) holds more than M
 *       ({@link RestartedMaster}): it takes over with CLUSTER FAILOVER FORCE (its link to M is down: M refuses its
 *       PSYNC), and M follows it. One takeover at a time, as in {@link ClusterFailover}.</li>
 *   <li>Otherwise M holds as much as any replica: M is let go (LIFT_START_GUARD) and its replicas resync from it.</li>
 * </ol>
 */
final class GuardedRestart {

    private GuardedRestart() {
    }

    static Decision decide(ClusterState s, DesiredShape desired) {
        long epoch = s.members().stream().mapToLong(n -> s.view().signals(n).clusterEpoch()).max().orElse(0);
        List<Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (NodeView master : s.members()) {
            if (!master.isMaster() || !s.view().signals(master).startGuarded()) {
                continue;
            }
            Optional<NodeView> successor = s.members().stream()
                    .filter(n -> n != master && n.isMaster() && !n.slots().intersect(master.slots()).isEmpty()).findFirst();
            if (successor.isPresent()) {
                problems.add(master.name() + " restarted and " + successor.get().name() + " serves its slots now; it rejoins as a "
                        + "replica by gossip");
                continue;
            }
            List<NodeView> replicas = s.members().stream().filter(n -> n.isReplica() && master.nodeId().equals(n.masterNodeId())).toList();
            List<String> awaited = master.peers().values().stream()
                    .filter(p -> p.replica() && master.nodeId().equals(p.masterId()) && !p.failing())
                    .filter(p -> replicas.stream().noneMatch(r -> r.nodeId().equals(p.id())))
                    .map(ClusterNodeEntry::address).toList();
            if (!master.slots().isEmpty() && !awaited.isEmpty()) {
                problems.add(master.name() + " restarted under its start guard; waiting to hear from its replica(s) "
                        + String.join(", ", awaited) + ", which may hold the data");
                continue;
            }
            Optional<NodeView> fullest = replicas.stream()
                    .max(Comparator.comparingLong(NodeView::keys).thenComparingLong(NodeView::offset).thenComparing(NodeView::name,
                            Comparator.reverseOrder()));
            if (!master.slots().isEmpty() && fullest.isPresent() && RestartedMaster.replicaTakesOver(master.keys(), fullest.get().keys())) {
                NodeView chosen = fullest.get();
                Optional<Step> election = steps.stream().filter(st -> st.action() == Action.CLUSTER_FAILOVER_FORCE).findFirst();
                if (election.isPresent()) {
                    problems.add(ClusterFailover.ONE_ELECTION_AT_A_TIME.formatted(chosen.name(), "the restarted " + master.name(),
                            election.get().node()));
                    continue;
                }
                steps.add(Step.failoverForce(chosen.name(), master.nodeId(), epoch, false, "master " + master.name() + " restarted holding "
                        + master.keys() + " keys; its replica " + chosen.name() + " holds " + chosen.keys() + " and takes over "
                        + "before anybody resyncs from it"));
                done.add(chosen.name() + " takes over from the restarted " + master.name());
                problems.add(master.name() + " restarted under its start guard and serves nobody; " + chosen.name() + " takes over");
            } else {
                steps.add(Step.liftStartGuard(master.name(), "master " + master.name() + " restarted holding " + master.keys()
                        + " keys, no fewer than any replica (" + fullest.map(r -> r.name() + ": " + r.keys()).orElse("none reporting")
                        + "): it serves again"));
                done.add(master.name() + " serves again");
                problems.add(master.name() + " restarted under its start guard and serves nobody until it is let go");
            }
        }
        return new Decision(steps, "after a restart (cluster epoch " + epoch + "): " + String.join(", ", done), problems);
    }
}
