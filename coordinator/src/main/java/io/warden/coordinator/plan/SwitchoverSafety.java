package io.warden.coordinator.plan;

import io.warden.common.redis.OpenSlot;
import io.warden.common.wire.Action;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;
import io.warden.coordinator.topology.TopologyReport;
import io.warden.coordinator.topology.TopologyReport.ShardMembers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a planned switchover of one shard may start now, and to which replica. Pure: one view in, allowed with
 * the steps, or refused with the reason, out. Refused, in this order:
 * <ol>
 *   <li>the shard is unknown; the caller expected another master ({@code from}); the master is unreachable (a dead
 *       master is failover's business, not a planned move's);</li>
 *   <li>a slot of the shard is open (a migration is under way): the shard is already moving;</li>
 *   <li>{@code to} names no node, the master itself, a node that does not replicate from this master, or a replica
 *       that may not take over (below);</li>
 *   <li>no replica may take over.</li>
 * </ol>
 * A replica may take over when it is reachable, not draining, its lag by the reports is within {@link #MAX_LAG_BYTES},
 * its link is up, and (cluster mode) its master's own view lists it as its replica (right after a switchover the new
 * master may not have heard yet that the old one follows it, and would ignore its CLUSTER FAILOVER), and so do a
 * majority of the masters serving slots (they vote in its election, and deny a node they still see as a master).
 * Reports are taken at different moments, so under writes they never show lag 0; the exact catch-up is Redis's own: both handovers pause writes on the master until the replica holds its full offset.
 * Among those that may, the best is on another Kubernetes node than the master, then has the highest offset, then
 * comes first by name.
 */
public final class SwitchoverSafety {

    /** The lag by the reports beyond which a replica is not in sync (as the topology document counts it). */
    public static final long MAX_LAG_BYTES = TopologyReport.IN_SYNC_LAG_BYTES;
    /** How long Redis's FAILOVER may hold writes while the replica catches up (replication mode). */
    public static final long FAILOVER_TIMEOUT_MS = 5000;
    /** The refusals that settle by themselves (gossip), see {@link Verdict#settling()}. */
    private static final String UNKNOWN_TO_MASTER = "its master does not see it as its replica yet";
    private static final String UNKNOWN_TO_VOTERS = "too few masters see it as a replica yet";

    private SwitchoverSafety() {
    }

    /**
     * An allowed switchover: the shard, its master and the replica taking over, the handover step, and the steps
     * that point the shard's other replicas at the new master afterwards (replication mode: FAILOVER leaves them
     * chained to the old master, which is usually about to stop).
     */
    public record Decision(ShardMembers shard, NodeView from, NodeView to, Step handover, List<Step> repoint) {

        public String sentence() {
            return "switching " + shard.id() + " over from " + from.name() + " to " + to.name() + " with "
                    + (handover.action() == Action.CLUSTER_FAILOVER ? "CLUSTER FAILOVER" : "a paused-writes handover");
        }
    }

    /**
     * Allowed (a decision) or refused (the reason). {@code settling}: refused only because a replica is not yet known
     * to its master as its own, which gossip settles within seconds; asking again shortly may be allowed.
     */
    public record Verdict(Optional<Decision> decision, String refusal, boolean settling) {

        static Verdict refused(String reason) {
            return new Verdict(Optional.empty(), reason, false);
        }

        static Verdict allowed(Decision decision) {
            return new Verdict(Optional.of(decision), "", false);
        }

        public boolean allowed() {
            return decision.isPresent();
        }
    }

    public static Verdict check(ClusterView view, String shardId, Optional<String> to, Optional<String> from) {
        List<ShardMembers> shards = TopologyReport.shards(view);
        Optional<ShardMembers> found = shards.stream().filter(s -> s.id().equals(shardId)).findFirst();
        if (found.isEmpty()) {
            return Verdict.refused("no shard " + shardId + (shards.isEmpty() ? "; no shard has a master yet"
                    : "; the shards are " + String.join(", ", shards.stream().map(ShardMembers::id).toList())));
        }
        ShardMembers shard = found.get();
        NodeView master = shard.master();
        if (from.isPresent() && !from.get().equals(master.name())) {
            return Verdict.refused(from.get() + " is not the master of " + shardId + "; " + master.name() + " is");
        }
        if (!master.reachable()) {
            return Verdict.refused("master " + master.name() + " of " + shardId + " is unreachable; a planned switchover needs it "
                    + "to hand over (replacing a dead master is failover's job)");
        }
        Optional<String> moving = openSlot(view, shard);
        if (moving.isPresent()) {
            return Verdict.refused(shardId + " is already moving: " + moving.get());
        }
        NodeView target;
        if (to.isPresent()) {
            Optional<NodeView> named = view.byName(to.get());
            if (named.isEmpty()) {
                return Verdict.refused("no node named " + to.get());
            }
            if (named.get().name().equals(master.name())) {
                return Verdict.refused(to.get() + " is already the master of " + shardId);
            }
            if (!shard.replicas().contains(named.get())) {
                return Verdict.refused(to.get() + " is not a replica of " + shardId + "'s master " + master.name());
            }
            Optional<String> unfit = unfit(view, named.get(), master);
            if (unfit.isPresent()) {
                return new Verdict(Optional.empty(), to.get() + " cannot take over " + shardId + ": " + unfit.get(),
                        settles(unfit.get()));
            }
            target = named.get();
        } else {
            List<NodeView> fit = shard.replicas().stream().filter(r -> unfit(view, r, master).isEmpty()).toList();
            if (fit.isEmpty()) {
                boolean settling = shard.replicas().stream().anyMatch(r -> settles(unfit(view, r, master).orElse("")));
                return new Verdict(Optional.empty(), shard.replicas().isEmpty() ? shardId + " has no replica to hand over to"
                        : "no replica of " + shardId + " may take over: " + String.join("; ", shard.replicas().stream()
                                .map(r -> r.name() + " " + unfit(view, r, master).orElse("")).toList()), settling);
            }
            target = fit.stream().min(best(master)).orElseThrow();
        }
        return Verdict.allowed(decide(view.mode(), shard, target));
    }

    /** Refusals that gossip settles by itself within seconds. */
    private static boolean settles(String refusal) {
        return refusal.equals(UNKNOWN_TO_MASTER) || refusal.startsWith(UNKNOWN_TO_VOTERS);
    }

    /** Why {@code replica} may not take over from {@code master}, if it may not. */
    static Optional<String> unfit(ClusterView view, NodeView replica, NodeView master) {
        if (!replica.reachable()) {
            return Optional.of("it is unreachable");
        }
        if (replica.draining()) {
            return Optional.of("it is draining for shutdown");
        }
        long lag = Math.max(0, master.offset() - replica.offset());
        if (lag > MAX_LAG_BYTES) {
            return Optional.of("it lags " + lag + " bytes behind (in sync means within " + MAX_LAG_BYTES + ")");
        }
        if (!replica.linkUp()) {
            return Optional.of("its replication link is down");
        }
        boolean knownToMaster = replica.nodeId().isEmpty() || master.peer(replica.nodeId())
                .filter(seen -> seen.replica() && master.nodeId().equals(seen.masterId())).isPresent();
        if (!knownToMaster) {
            // CLUSTER FAILOVER needs the master's cooperation, and a master ignores a replica it does not know as its own.
            return Optional.of(UNKNOWN_TO_MASTER);
        }
        if (!replica.nodeId().isEmpty()) {
            // Then the replica's election: a master denies its vote to a node it still sees as a master, and the
            // election needs a majority of the masters serving slots.
            List<NodeView> voters = view.reachable().stream().filter(n -> n.isMaster() && !n.slots().isEmpty()).toList();
            long knowing = voters.stream().filter(v -> v.peer(replica.nodeId())
                    .filter(seen -> seen.replica() && master.nodeId().equals(seen.masterId())).isPresent()).count();
            if (knowing <= voters.size() / 2) {
                return Optional.of(UNKNOWN_TO_VOTERS + " (" + knowing + " of " + voters.size() + " masters), and its election needs a majority");
            }
        }
        return Optional.empty();
    }

    private static Comparator<NodeView> best(NodeView master) {
        return Comparator.comparing((NodeView r) -> Placement.sameK8sNode(r, master))
                .thenComparingLong(r -> -r.offset())
                .thenComparing(NodeView::name);
    }

    /** A slot open (importing or migrating) on a member of the shard, or on any node towards its master. */
    private static Optional<String> openSlot(ClusterView view, ShardMembers shard) {
        List<NodeView> members = new ArrayList<>(shard.replicas());
        members.add(0, shard.master());
        for (NodeView n : members) {
            if (!n.openSlots().isEmpty()) {
                OpenSlot open = n.openSlots().get(0);
                return Optional.of("slot " + open.slot() + " is " + open.direction().name().toLowerCase() + " on " + n.name());
            }
        }
        String masterId = shard.master().nodeId();
        return view.reachable().stream()
                .flatMap(n -> n.openSlots().stream().filter(o -> !masterId.isEmpty() && masterId.equals(o.peerNodeId()))
                        .map(o -> "slot " + o.slot() + " is " + o.direction().name().toLowerCase() + " on " + n.name()
                                + " with " + shard.master().name()))
                .findFirst();
    }

    private static Decision decide(Mode mode, ShardMembers shard, NodeView to) {
        NodeView from = shard.master();
        String why = "planned switchover of " + shard.id() + " from " + from.name();
        if (mode == Mode.CLUSTER) {
            return new Decision(shard, from, to, Step.clusterFailover(to.name(), why), List.of());
        }
        List<Step> repoint = shard.replicas().stream().filter(r -> r != to && r.reachable())
                .map(r -> Step.replicaOf(r.name(), to.host(), to.port(), "follow the new master " + to.name() + " after the switchover"))
                .toList();
        return new Decision(shard, from, to, Step.failoverTo(from.name(), to.host(), to.port(), FAILOVER_TIMEOUT_MS, why), repoint);
    }
}
