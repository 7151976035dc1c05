package io.warden.coordinator.plan;

import io.warden.common.redis.OpenSlot;
import io.warden.common.slots.SlotOwners;
import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Plans Redis Cluster mode. Only reachable members of the hub's cluster act or are acted on; a node holding data
 * is never given fresh slots, never sent CLUSTER REPLICATE, never demoted. A restore plan whose entries conflict
 * stops all planning. The first phase with steps wins:
 * <ol>
 *   <li>Connect: the hub (knows most peers; ties: serves slots, then name) MEETs every member it does not know,
 *       knows at another address, or only half-knows; an empty member that knows no peer is given the slot map as it
 *       learns the owners. Nodes holding data that neither know the hub nor are known by it belong to another cluster and
 *       are left alone, unless a restore plan names them (and the slots they serve are within their snapshot's).</li>
 *   <li>Re-point: a replica still replicating from its master's old address (Redis learns a moved node's address
 *       from gossip but never re-points replication) is told CLUSTER REPLICATE again.</li>
 *   <li>Restarted masters: one that came back under its start guard serves again, or its fullest replica takes over
 *       ({@link GuardedRestart}).</li>
 *   <li>Open slots: a migration open on both sides is finished on the source; a half-open slot (the peer does not
 *       mirror it) is set stable. A slot whose peer is unreachable waits.</li>
 *   <li>Restore: the restored masters get the unclaimed slots of their snapshots' manifests ({@link RestoreCoverage}).</li>
 *   <li>Coverage: slots nobody claims (and no restore reserves), range by range of the even layout, go to the live
 *       master already serving most of that range, else to an empty master spread across Kubernetes nodes, then zones. Slots claimed
 *       only by a master that is down are reported, never reassigned (failover's job).</li>
 *   <li>Replicas: while a slot master has fewer than R reachable replicas, the one with fewest gets an empty
 *       spare, away from its Kubernetes node and zone where possible.</li>
 *   <li>Otherwise nothing; {@link ClusterHealth} lists what keeps the cluster unhealthy, in every plan.</li>
 * </ol>
 */
final class ClusterPlanner {

    private static final List<BiFunction<ClusterState, DesiredShape, Decision>> PHASES =
            List.of(ClusterPlanner::connect, ClusterPlanner::repointReplicas, GuardedRestart::decide, ClusterPlanner::closeOpenSlots,
                    RestoreCoverage::plan,
                    ClusterPlanner::coverSlots,
                    ClusterPlanner::addReplicas, Rebalance::plan, Retire::plan);

    private ClusterPlanner() {
    }

    static Plan plan(ClusterView view, DesiredShape desired) {
        return plan(view, desired, FailoverPolicy.DEFAULTS);
    }

    static Plan plan(ClusterView view, DesiredShape desired, FailoverPolicy failover) {
        Optional<String> conflict = desired.restore().conflict();
        if (conflict.isPresent()) {
            List<String> problems = List.of(conflict.get() + "; nothing is planned until the restore plan is fixed");
            return Plan.nothing(Planner.idle(problems, ""), problems);
        }
        Optional<ClusterState> state = ClusterState.of(view, Retirement.retiring(view, desired), desired.restore());
        if (state.isEmpty()) {
            List<String> problems = new ArrayList<>(ClusterHealth.unreachable(view));
            problems.add(0, "no node is reachable");
            return Plan.nothing(Planner.idle(problems, ""), problems);
        }
        Set<String> problems = new LinkedHashSet<>(ClusterHealth.problems(state.get(), desired));
        List<BiFunction<ClusterState, DesiredShape, Decision>> phases = new ArrayList<>();
        phases.add((s, d) -> ClusterFailover.decide(s, failover));
        phases.addAll(PHASES);
        for (BiFunction<ClusterState, DesiredShape, Decision> phase : phases) {
            Decision decision = phase.apply(state.get(), desired);
            problems.addAll(decision.problems());
            if (decision.acts()) {
                return new Plan(decision.steps(), decision.outcome(), List.copyOf(problems));
            }
        }
        String healthy = Planner.count(desired.shards(), "shard") + " × " + Planner.count(desired.replicas(), "replica") + " healthy";
        return Plan.nothing(Planner.idle(List.copyOf(problems), healthy), List.copyOf(problems));
    }

    /**
     * Phase 1: the hub MEETs every member it does not know well. An empty member that knows no peer, joining a cluster
     * that serves slots, is at the same time given the slot map as it learns the owners ({@code CLUSTER_SEED_SLOT_MAP}:
     * otherwise, for up to a second, its view lists every peer but not every slot's owner, and a cluster client may
     * read that view). A member that was forgotten ({@link
     * ClusterState#forgotten}) is reset first (CLUSTER RESET SOFT: an empty master that knows nobody, a replica's copy of
     * the data dropped): it would otherwise rejoin as what its old nodes.conf says, a surplus replica of whatever it
     * followed, never a spare to place.
     */
    static Decision connect(ClusterState s, DesiredShape desired) {
        List<Step> resets = new ArrayList<>();
        List<Step> meets = new ArrayList<>();
        List<NodeView> joining = new ArrayList<>();
        for (NodeView n : s.members()) {
            if (s.forgotten(n)) {
                resets.add(Step.resetSoft(n.name(), n.name() + " knows the cluster from a nodes.conf " + s.hub().name()
                        + " does not share (forgotten when it was retired): reset to an empty master before it joins"));
                continue;
            }
            String gap = s.connectGap(n);
            if (gap != null) {
                meets.add(Step.meet(s.hub().name(), n.host(), n.port(), gap));
            }
            if (gap != null && n.empty() && ClusterState.knowsNoPeer(n)) {
                joining.add(n);
            }
        }
        // The map is worked out only when a node joins, not on every tick.
        String owners = joining.isEmpty() ? "" : SlotOwners.encode(s.settledOwners());
        List<Step> seeds = owners.isEmpty() ? List.of() : joining.stream()
                .map(n -> Step.seedSlotMap(n.name(), owners, "joining: given each slot's owner as soon as it knows the owner")).toList();
        List<String> doing = new ArrayList<>();
        if (!resets.isEmpty()) {
            doing.add("resetting " + Planner.count(resets.size(), "forgotten node") + " to empty masters");
        }
        if (!meets.isEmpty()) {
            doing.add("introducing " + Planner.count(meets.size(), "node") + " to " + s.hub().name());
        }
        List<Step> steps = new ArrayList<>(resets);
        steps.addAll(meets);
        steps.addAll(seeds);
        return new Decision(steps, String.join(", ", doing), List.of());
    }

    /** Phase 2: replicas whose replication link still points at their master's old address. */
    static Decision repointReplicas(ClusterState s, DesiredShape desired) {
        List<Step> steps = new ArrayList<>();
        for (NodeView replica : s.members()) {
            if (!replica.isReplica() || replica.masterAddress().isEmpty()) {
                continue;
            }
            s.view().byNodeId(replica.masterNodeId())
                    .filter(master -> master.reachable() && !master.redisAddress().equals(replica.masterAddress()))
                    .ifPresent(master -> steps.add(Step.replicate(replica.name(), master.nodeId(), "replicates from "
                            + replica.masterAddress() + " but its master " + master.name() + " is now at " + master.redisAddress())));
        }
        return new Decision(steps, "re-pointing " + Planner.count(steps.size(), "replica") + " at their masters' new addresses", List.of());
    }

    /**
     * Phase 3: finish migrations open on both sides (grouped per source and target); a half-open slot is closed
     * without stranding keys: an importing side that already holds keys has the owner migrate the rest to it, a
     * migrating side whose peer already owns the slot hands it over, any other half-open slot is set stable. A slot
     * whose peer is unreachable waits.
     */
    static Decision closeOpenSlots(ClusterState s, DesiredShape desired) {
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<List<NodeView>, SlotSet> finishing = new LinkedHashMap<>();
        for (NodeView n : s.members()) {
            for (OpenSlot open : n.openSlots()) {
                Optional<NodeView> peer = s.members().stream().filter(m -> m.nodeId().equals(open.peerNodeId())).findFirst();
                if (peer.isEmpty()) {
                    continue; // ClusterHealth reports it; acting blind could strand keys already moved
                }
                NodeView p = peer.get();
                int slot = open.slot();
                if (n.movingSlots() || p.movingSlots()) {
                    continue; // an agent is moving it now (perhaps for an earlier leader): its state is in flux
                }
                SlotSet one = SlotSet.of(List.of(SlotRange.of(slot, slot)));
                if (open.direction() == OpenSlot.Direction.MIGRATING) {
                    if (opens(p, slot, OpenSlot.Direction.IMPORTING, n) || p.slots().contains(slot)) {
                        finishing.merge(List.of(n, p), one, SlotSet::union);
                    } else {
                        steps.add(Step.setSlotStable(n.name(), slot, "slot " + slot + " migrating to " + p.name() + ", which is not importing it"));
                        done.add("stabilising slot " + slot + " on " + n.name());
                    }
                } else if (!opens(p, slot, OpenSlot.Direction.MIGRATING, n)) {
                    long keys = n.openSlotKeys().getOrDefault(slot, 0L);
                    if (keys > 0 && p.slots().contains(slot)) {
                        finishing.merge(List.of(p, n), one, SlotSet::union);
                    } else if (keys > 0) {
                        problems.add("slot " + slot + " importing into " + n.name() + " holds " + keys + " keys but " + p.name()
                                + " neither migrates nor owns it; left open rather than strand them");
                    } else {
                        steps.add(Step.setSlotStable(n.name(), slot, "slot " + slot + " importing from " + p.name() + ", which is not migrating it"));
                        done.add("stabilising slot " + slot + " on " + n.name());
                    }
                }
            }
        }
        finishing.forEach((pair, slots) -> {
            NodeView source = pair.get(0);
            NodeView target = pair.get(1);
            String why = "slots " + ClusterState.ranges(slots) + " are open from " + source.name() + " to " + target.name();
            if (slots.size() == 1) {
                steps.add(Step.finishMigration(source.name(), slots.ranges().get(0).start(), target.host(), target.port(), target.nodeId(),
                        "slot " + slots.ranges().get(0).start() + " is open from " + source.name() + " to " + target.name() + " on both sides"));
            } else {
                List<String> others = s.slotMasters().stream().filter(m -> m != source && m != target).map(NodeView::redisAddress).toList();
                steps.add(Step.migrateSlots(source.name(), ClusterState.ranges(slots), target.host(), target.port(), target.nodeId(), others, why));
            }
            done.add(0, "finishing " + (slots.size() == 1 ? "slot " : "slots ") + ClusterState.ranges(slots) + " (" + source.name() + " → " + target.name() + ")");
        });
        return new Decision(steps, "closing open slots: " + String.join(", ", done), problems);
    }

    private static boolean opens(NodeView node, int slot, OpenSlot.Direction direction, NodeView peer) {
        return node.openSlots().contains(new OpenSlot(slot, direction, peer.nodeId()));
    }

    /**
     * Phase 3: unclaimed slots, range by range of the even layout, to the master serving most of it or a new one;
     * never a slot a restore reserves for its restored node ({@link RestoreCoverage}).
     */
    static Decision coverSlots(ClusterState s, DesiredShape desired) {
        SlotSet unclaimed = RestoreCoverage.coverable(desired).minus(s.claimed());
        if (unclaimed.isEmpty()) {
            return Decision.none(List.of());
        }
        List<NodeView> masters = new ArrayList<>(s.slotMasters());
        List<NodeView> spares = new ArrayList<>(s.spares());
        Map<NodeView, SlotSet> given = new LinkedHashMap<>();
        Map<NodeView, SlotRange> newlyMaster = new HashMap<>();
        SlotSet stranded = SlotSet.empty();
        for (SlotRange range : SlotSet.evenSplit(desired.shards())) {
            SlotSet layout = SlotSet.of(List.of(range));
            SlotSet missing = layout.intersect(unclaimed);
            if (missing.isEmpty()) {
                continue;
            }
            Optional<NodeView> owner = s.slotMasters().stream()
                    .filter(m -> !m.slots().intersect(layout).isEmpty())
                    .min(Comparator.comparingInt((NodeView m) -> -m.slots().intersect(layout).size()).thenComparing(NodeView::name));
            if (owner.isEmpty()) {
                owner = Placement.newMaster(spares, masters);
                owner.ifPresent(m -> {
                    spares.remove(m);
                    masters.add(m);
                    newlyMaster.put(m, range);
                });
            }
            if (owner.isPresent()) {
                given.merge(owner.get(), missing, SlotSet::union);
            } else {
                stranded = stranded.union(missing);
            }
        }
        List<String> problems = stranded.isEmpty() ? List.of()
                : List.of("no empty node left to serve slots " + ClusterState.ranges(stranded));
        List<Step> steps = new ArrayList<>();
        given.forEach((node, slots) -> steps.add(Step.addSlots(node.name(), ClusterState.ranges(slots), newlyMaster.containsKey(node)
                ? "new master for slots " + newlyMaster.get(node) + " of the even layout"
                : "it already serves most of the layout range around these unserved slots")));
        boolean bootstrap = s.slotMasters().isEmpty() && s.claimed().isEmpty();
        String outcome = bootstrap
                ? "bootstrapping " + Planner.count(given.size(), "shard") + ": slots to " + String.join(", ", given.keySet().stream().map(NodeView::name).toList())
                : "covering unserved slots: " + String.join(", ", given.entrySet().stream()
                        .map(e -> ClusterState.ranges(e.getValue()) + " to " + e.getKey().name()).toList());
        return new Decision(steps, outcome, problems);
    }

    /** Phase 4: spares become replicas, the master with fewest replicas first. */
    static Decision addReplicas(ClusterState s, DesiredShape desired) {
        Map<NodeView, List<NodeView>> shards = new LinkedHashMap<>();
        s.slotMasters().forEach(m -> {
            List<NodeView> shard = new ArrayList<>(List.of(m));
            shard.addAll(s.replicasOf(m));
            shards.put(m, shard);
        });
        List<NodeView> spares = new ArrayList<>(s.spares());
        if (desired.enforced()) {
            spares.removeAll(ShardLayout.of(s, desired).newMasters()); // a shape with more shards needs them as masters
        }
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        while (true) {
            Optional<NodeView> master = shards.keySet().stream()
                    .filter(m -> shards.get(m).size() - 1 < desired.replicas())
                    .min(Comparator.comparingInt((NodeView m) -> shards.get(m).size()).thenComparing(NodeView::name));
            if (master.isEmpty()) {
                break;
            }
            List<NodeView> shard = shards.get(master.get());
            List<NodeView> waiting = shards.keySet().stream()
                    .filter(m -> m != master.get() && shards.get(m).size() - 1 < desired.replicas()).toList();
            Optional<NodeView> spare = Placement.replica(spares, master.get(), shard, waiting);
            if (spare.isEmpty()) {
                problems.add("no empty node left to be a replica");
                break;
            }
            spares.remove(spare.get());
            shard.add(spare.get());
            // A spare that has not heard of its master yet would answer "Unknown node". Keep the choice (the same
            // assignment comes out next tick) and let gossip catch up, rather than pick a worse-placed spare.
            if (spare.get().peer(master.get().nodeId()).isEmpty()) {
                problems.add(spare.get().name() + " does not know " + master.get().name() + " yet (gossip); it becomes its replica next");
                continue;
            }
            steps.add(Step.replicate(spare.get().name(), master.get().nodeId(), "shard of " + master.get().name() + " has "
                    + (shard.size() - 2) + " of " + desired.replicas() + " replicas"));
            done.add(spare.get().name() + " to " + master.get().name());
        }
        return new Decision(steps, "adding replicas: " + String.join(", ", done), problems);
    }
}
