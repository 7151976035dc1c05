package io.warden.coordinator.plan;

import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.NodeView;
import io.warden.coordinator.topology.RestorePlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the cluster planner derives once from a view: the hub, which reachable nodes belong to the hub's cluster,
 * and who claims which slots. Strangers (another cluster's nodes) take no part in any later phase.
 *
 * @param hub       the reachable node that knows the most peers which know it back (ties: serves slots, then name)
 * @param members   reachable nodes of the hub's cluster, hub included, plus empty nodes that may join it
 * @param strangers reachable nodes that must not be joined, with the reason
 * @param claims    by owner node ID, the slots any member's view assigns to it
 * @param retiring  names of the nodes the desired shape leaves out ({@link Retirement}): never given slots or made
 *                  replicas, and never joined (again) once out of the cluster
 * @param restore   a whole-deployment restore under way: its nodes hold data on purpose and are joined, as long as
 *                  the slots they serve are within those their snapshot's manifest lists
 */
record ClusterState(ClusterView view, NodeView hub, List<NodeView> members, Map<NodeView, String> strangers,
                    Map<String, SlotSet> claims, Set<String> retiring, RestorePlan restore) {

    static Optional<ClusterState> of(ClusterView view) {
        return of(view, Set.of());
    }

    static Optional<ClusterState> of(ClusterView view, Set<String> retiring) {
        return of(view, retiring, RestorePlan.NONE);
    }

    static Optional<ClusterState> of(ClusterView view, Set<String> retiring, RestorePlan restore) {
        Comparator<NodeView> hubOrder = hubOrder(view);
        Optional<NodeView> hub = view.reachable().stream().filter(n -> !retiring.contains(n.name())).min(hubOrder)
                .or(() -> view.reachable().stream().min(hubOrder));
        return hub.map(h -> build(view, h, retiring, restore));
    }

    /**
     * The node that knows the most peers which know it back (a peer whose agent is not reachable counts as knowing it),
     * then one serving slots, then by name. Knowing is not enough: a node that returns with its old nodes.conf (a
     * StatefulSet grown again, its PVC kept) knows every node, while all of them forgot it when it was retired; as the
     * hub, it would have introduced nobody.
     */
    private static Comparator<NodeView> hubOrder(ClusterView view) {
        Map<String, NodeView> reachableById = new HashMap<>();
        view.reachable().stream().filter(n -> !n.nodeId().isEmpty()).forEach(n -> reachableById.put(n.nodeId(), n));
        Map<NodeView, Integer> mutual = new HashMap<>();
        view.reachable().forEach(n -> mutual.put(n, (int) n.peers().values().stream()
                .filter(e -> settled(e) && !e.id().equals(n.nodeId()))
                .filter(e -> !reachableById.containsKey(e.id()) || reachableById.get(e.id()).peer(n.nodeId()).isPresent())
                .count()));
        return Comparator.comparingInt((NodeView n) -> -mutual.getOrDefault(n, 0))
                .thenComparing(n -> n.slots().isEmpty())
                .thenComparing(NodeView::name);
    }

    private static ClusterState build(ClusterView view, NodeView hub, Set<String> retiring, RestorePlan restore) {
        List<NodeView> members = new ArrayList<>();
        Map<NodeView, String> strangers = new LinkedHashMap<>();
        for (NodeView n : view.reachable()) {
            // A retiring node the hub does not know is out, even while it still knows the hub (forgotten, not yet
            // reset): introducing it again would undo its retirement.
            String refusal = retiring.contains(n.name()) && n != hub && hub.peer(n.nodeId()).isEmpty()
                    ? n.name() + " is retiring (beyond the desired shape) and out of the cluster; waiting for it to be stopped"
                    : refusal(hub, n, restore);
            if (refusal == null) {
                members.add(n);
            } else {
                strangers.put(n, refusal);
            }
        }
        return new ClusterState(view, hub, List.copyOf(members), strangers, claims(members), Set.copyOf(retiring), restore);
    }

    /** Why {@code n} must not be joined to the hub's cluster, or null when it is a member or may become one. */
    private static String refusal(NodeView hub, NodeView n, RestorePlan restore) {
        if (n == hub || hub.peer(n.nodeId()).isPresent() || n.peer(hub.nodeId()).isPresent()) {
            return null;
        }
        Optional<RestorePlan.Entry> restoring = restore.of(n.name());
        if (!n.empty() && restoring.isEmpty()) {
            return n.name() + " holds data and belongs to another cluster; not joining it";
        }
        if (restoring.isPresent() && !n.slots().minus(restoring.get().slots()).isEmpty()) {
            return n.name() + " serves slots " + ranges(n.slots().minus(restoring.get().slots())) + " that its restore entry ("
                    + restoring.get().shard() + ", " + restoring.get().snapshot() + ") does not list; not joining it";
        }
        boolean knowsOutsiders = n.peers().values().stream().filter(ClusterState::settled)
                .anyMatch(e -> !e.id().equals(hub.nodeId()) && hub.peer(e.id()).isEmpty());
        // MEET merges whole clusters: an empty node that already knows foreign nodes would pull them in.
        return knowsOutsiders ? n.name() + " knows nodes outside " + hub.name() + "'s cluster; not joining it" : null;
    }

    /** A peer entry past the handshake, with an address: a node known by its real ID. */
    private static boolean settled(ClusterNodeEntry e) {
        return !e.myself() && !e.handshake() && !e.flags().contains("noaddr");
    }

    private static Map<String, SlotSet> claims(List<NodeView> members) {
        Map<String, SlotSet> claims = new HashMap<>();
        // Every member reports every master, nearly always alike: collect each distinct slot list once per
        // node ID before turning lists into sets (a 1,000-node cluster has a million entries, a few thousand distinct).
        Map<String, Set<List<SlotRange>>> heard = new HashMap<>();
        for (NodeView m : members) {
            claims.merge(m.nodeId(), m.slots(), SlotSet::union);
            for (ClusterNodeEntry e : m.peers().values()) {
                if (e.master() && settled(e) && !e.slots().isEmpty()) {
                    heard.computeIfAbsent(e.id(), id -> new HashSet<>()).add(e.slots());
                }
            }
        }
        heard.forEach((id, lists) -> lists.forEach(slots -> claims.merge(id, SlotSet.of(slots), SlotSet::union)));
        claims.values().removeIf(SlotSet::isEmpty);
        return Map.copyOf(claims);
    }

    /**
     * Why the hub must MEET member {@code n}, or null when it knows it well: the hub does not know its ID, knows it
     * at another address, or only half-knows it (handshake, noaddr).
     */
    String connectGap(NodeView n) {
        if (n == hub) {
            return null;
        }
        Optional<ClusterNodeEntry> known = hub.peer(n.nodeId());
        if (known.isEmpty()) {
            return n.name() + " is not known to " + hub.name();
        }
        if (!settled(known.get())) {
            return n.name() + " is only half-known to " + hub.name() + " (" + String.join(",", known.get().flags().stream().sorted().toList()) + ")";
        }
        if (!known.get().address().equals(n.redisAddress())) {
            return hub.name() + " knows " + n.name() + " at " + known.get().address() + ", it is now at " + n.redisAddress();
        }
        return null;
    }

    /**
     * A member the hub does not know at all, not even as a handshake at its address, although it knows the hub's
     * cluster; holding no slot, and no key unless it is a replica (whose keys are a copy): a node retired (forgotten by
     * every node) and brought back with its old nodes.conf, as a StatefulSet grown again does with its kept PVC. A node
     * joining for the first time knows nobody by ID before the hub shakes hands with it.
     */
    boolean forgotten(NodeView n) {
        return n != hub && !retiring.contains(n.name()) && hub.peer(n.nodeId()).isEmpty() && n.peer(hub.nodeId()).isPresent()
                && hub.peers().values().stream().noneMatch(e -> e.address().equals(n.redisAddress()))
                && n.slots().isEmpty() && n.openSlots().isEmpty() && (n.isReplica() || n.keys() == 0);
    }

    /** Whether {@code n} knows no peer past the handshake: a node never joined, or reset. */
    static boolean knowsNoPeer(NodeView n) {
        return n.peers().values().stream().noneMatch(ClusterState::settled);
    }

    /**
     * The slot map a node that joins is given ahead of gossip ({@code CLUSTER_SEED_SLOT_MAP}): the slots that every
     * member's view gives to the same owner and that no member has open for a migration. A slot in flux is left to
     * gossip, which settles it by config epoch.
     */
    Map<String, SlotSet> settledOwners() {
        SlotSet seen = SlotSet.empty();
        SlotSet contested = SlotSet.empty();
        for (SlotSet slots : claims.values()) {
            contested = contested.union(seen.intersect(slots));
            seen = seen.union(slots);
        }
        SlotSet open = SlotSet.of(members.stream().flatMap(m -> m.openSlots().stream())
                .map(o -> SlotRange.of(o.slot(), o.slot())).toList());
        SlotSet unsettled = contested.union(open);
        Map<String, SlotSet> owners = new HashMap<>();
        claims.forEach((id, slots) -> owners.put(id, slots.minus(unsettled)));
        owners.values().removeIf(SlotSet::isEmpty);
        return owners;
    }

    /** Reachable members that are masters serving slots, by their own account. */
    List<NodeView> slotMasters() {
        return members.stream().filter(n -> n.isMaster() && !n.slots().isEmpty()).toList();
    }

    /** Reachable members that follow {@code master}. */
    List<NodeView> replicasOf(NodeView master) {
        return members.stream().filter(n -> n.isReplica() && master.nodeId().equals(n.masterNodeId())).toList();
    }

    /** Empty reachable masters serving nothing: the only nodes that may get fresh slots or become replicas. */
    List<NodeView> spares() {
        return members.stream().filter(n -> n.isMaster() && n.empty() && !retiring.contains(n.name())).toList();
    }

    boolean live(String nodeId) {
        return members.stream().anyMatch(n -> n.isMaster() && n.nodeId().equals(nodeId));
    }

    SlotSet claimed() {
        return claims.values().stream().reduce(SlotSet.empty(), SlotSet::union);
    }

    /** Slots some live master claims, in anyone's view. */
    SlotSet claimedByLive() {
        return claims.entrySet().stream().filter(e -> live(e.getKey())).map(Map.Entry::getValue)
                .reduce(SlotSet.empty(), SlotSet::union);
    }

    /** A node's name when the view has it, else its ID. */
    String label(String nodeId) {
        return view.byNodeId(nodeId).map(NodeView::name).orElse(nodeId);
    }

    static String ranges(SlotSet slots) {
        return String.join(",", slots.ranges().stream().map(Object::toString).toList());
    }
}
