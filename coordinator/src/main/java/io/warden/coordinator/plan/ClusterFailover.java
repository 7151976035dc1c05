package io.warden.coordinator.plan;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.plan.FailoverSafety.Verdict;
import io.warden.coordinator.topology.NodeView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Cluster mode's unplanned failover: a dead master's best replica takes over with {@code CLUSTER FAILOVER FORCE}
 * (which still needs the masters' vote) instead of waiting for {@code cluster-node-timeout}. Redis's own failover
 * stays the fallback when no coordinator runs. Pure; "now" is the view's time.
 * <ol>
 *   <li>A master is dead when no reachable member has its node ID as a master and it still claims slots, and either
 *       its own agent says its process is gone (connection refused: conclusive, act at once, without waiting for the
 *       replicas' next observations — the agent refuses the takeover if its replica's link is in fact up), or, agent
 *       silent or Redis timing out, every reachable replica has reported its link down for {@code downAfter}
 *       ({@link FailoverSafety#agreedSince}).</li>
 *   <li>The best replica within the lag limit is told to take over; one shard at a time ({@link #ONE_ELECTION_AT_A_TIME}).</li>
 *   <li>Epoch guard: the instruction carries the newest {@code cluster_current_epoch} in the view. The agent refuses
 *       it when its node has seen a newer one, since then the cluster changed after the decision (Redis's own failover,
 *       another operator); its node must still replicate that master with the link down. Redis's vote is the
 *       last guard: masters grant one vote per epoch. When a voting master still lists the replica as a master, it
 *       would refuse its vote, and the replica is told to take over without one ({@link #wouldRefuseTheVote}). An
 *       election that lost anyway is not left to Redis's retry four node timeouts later: the agent takes over without a
 *       vote on the next instruction (see the agent's ForcedFailover).</li>
 * </ol>
 */
final class ClusterFailover {

    /**
     * Elections started at once share an epoch, each master votes once per epoch, and a master that voted for a
     * replica of some master refuses another vote about that master for twice the node timeout: two forced failovers
     * at once can both lose and stay lost for 30 s. So one at a time; the next plan starts the next.
     */
    static final String ONE_ELECTION_AT_A_TIME = "%s takes over from %s after %s's election (one at a time: "
            + "elections started together split the masters' votes)";

    private ClusterFailover() {
    }

    static Decision decide(ClusterState s, FailoverPolicy policy) {
        Map<String, List<NodeView>> byMaster = new TreeMap<>();
        s.members().stream().filter(n -> n.isReplica() && !n.masterNodeId().isEmpty())
                .forEach(n -> byMaster.computeIfAbsent(n.masterNodeId(), id -> new ArrayList<>()).add(n));
        long epoch = s.members().stream().mapToLong(n -> s.view().signals(n).clusterEpoch()).max().orElse(0);
        List<Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> done = new ArrayList<>();
        byMaster.forEach((masterId, replicas) -> {
            boolean alive = s.members().stream().anyMatch(n -> n.isMaster() && n.nodeId().equals(masterId));
            SlotSet slots = s.claims().getOrDefault(masterId, SlotSet.empty());
            if (alive || slots.isEmpty()) {
                return;
            }
            Optional<NodeView> failed = known(s, masterId, replicas);
            String label = failed.map(NodeView::name).orElse(s.label(masterId));
            boolean gone = failed.map(f -> !f.reachable() && s.view().signals(f).redisGone()).orElse(false);
            if (!gone) {
                Optional<Instant> since = FailoverSafety.agreedSince(s.view(), replicas);
                if (since.isEmpty()) {
                    return;
                }
                Duration left = FailoverSafety.remaining(s.view(), since.get(), policy.downAfter());
                if ((!left.isNegative() && !left.isZero())) {
                    problems.add("master " + label + " is down: its replicas agree for " + policy.downAfter().minus(left).toMillis()
                            + " of " + policy.downAfter().toMillis() + " ms");
                    return;
                }
            }
            Verdict verdict = FailoverSafety.bestReplica(s.view(), failed, label, replicas, policy);
            if (!verdict.allowed()) {
                problems.add(verdict.reason());
                return;
            }
            NodeView chosen = verdict.replica().orElseThrow();
            if (!steps.isEmpty()) {
                problems.add(ONE_ELECTION_AT_A_TIME.formatted(chosen.name(), label, steps.get(0).node()));
                return;
            }
            List<String> refusers = wouldRefuseTheVote(s, chosen, masterId);
            steps.add(Step.failoverForce(chosen.name(), masterId, epoch, !refusers.isEmpty(), "master " + label + " (slots "
                    + ClusterState.ranges(slots) + ") is " + (gone ? "gone" : "down for " + policy.downAfter().toMillis() + " ms")
                    + "; " + chosen.name() + " has the highest offset (" + chosen.offset() + ")"
                    + (refusers.isEmpty() ? "" : "; " + String.join(", ", refusers) + (refusers.size() == 1 ? " still lists" : " still list")
                    + " it as a master and would refuse the vote, so it takes over without one")));
            done.add(chosen.name() + " takes over from " + label);
        });
        return new Decision(steps, "failing over (cluster epoch " + epoch + "): " + String.join(", ", done), problems);
    }

    /**
     * The voting masters (reachable, serving slots) that still list {@code chosen} as a master: each would refuse it
     * its vote ("it is a master node"). Redis 7.0 does not announce that a node became a replica; the masters learn it
     * at their next ping exchange with it, up to half a node timeout after {@code CLUSTER REPLICATE}.
     */
    private static List<String> wouldRefuseTheVote(ClusterState s, NodeView chosen, String deadMasterId) {
        return s.members().stream()
                .filter(m -> m.isMaster() && m.reachable() && !m.slots().isEmpty() && !m.nodeId().equals(deadMasterId))
                .filter(m -> m.peer(chosen.nodeId()).map(ClusterNodeEntry::master).orElse(false))
                .map(NodeView::name)
                .toList();
    }

    /** The dead master's node in the view: the one at the address its replicas know it by (its own report says nothing now). */
    private static Optional<NodeView> known(ClusterState s, String masterId, List<NodeView> replicas) {
        return s.view().byNodeId(masterId).or(() -> replicas.stream()
                .flatMap(r -> r.peer(masterId).stream())
                .findFirst()
                .flatMap(entry -> s.view().byAddress(entry.address())));
    }
}
