package io.warden.coordinator.topology;

import io.warden.common.slots.SlotSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A whole-deployment restore in progress ({@code bin/warden restore}): which node was given which shard's snapshot,
 * and the slots that snapshot's manifest lists. It tells the cluster planner that these nodes hold data on purpose
 * and are to be joined (a node holding data that nobody knows is otherwise another cluster's), and that their
 * manifests' slots are theirs to serve, even the ones no key claimed, before anything else covers slots.
 *
 * @param entries one per restored master; none when no restore is under way
 */
public record RestorePlan(List<Entry> entries) {

    public static final RestorePlan NONE = new RestorePlan(List.of());

    /**
     * @param node     the node that holds the snapshot's data and becomes that shard's master ({@code redis-1})
     * @param shard    the shard the snapshot was taken of ({@code shard-1})
     * @param snapshot the snapshot's id
     * @param slots    the slot ranges its manifest lists
     */
    public record Entry(String node, String shard, String snapshot, SlotSet slots) {
    }

    public RestorePlan {
        entries = List.copyOf(entries);
    }

    public boolean active() {
        return !entries.isEmpty();
    }

    public Optional<Entry> of(String node) {
        return entries.stream().filter(e -> e.node().equals(node)).findFirst();
    }

    /** Every slot some entry reserves for its node. */
    public SlotSet slots() {
        return entries.stream().map(Entry::slots).reduce(SlotSet.empty(), SlotSet::union);
    }

    /** Why the entries cannot all hold at once (a node named twice, slots given twice), or empty. */
    public Optional<String> conflict() {
        Set<String> nodes = new HashSet<>();
        List<Entry> seen = new ArrayList<>();
        for (Entry e : entries) {
            if (!nodes.add(e.node())) {
                return Optional.of("the restore plan names " + e.node() + " twice");
            }
            for (Entry other : seen) {
                SlotSet both = other.slots().intersect(e.slots());
                if (!both.isEmpty()) {
                    return Optional.of("the restore plan gives slots " + String.join(",", both.ranges().stream().map(Object::toString).toList()) + " to both " + other.node() + " (" + other.snapshot()
                            + ") and " + e.node() + " (" + e.snapshot() + ")");
                }
            }
            seen.add(e);
        }
        return Optional.empty();
    }
}
