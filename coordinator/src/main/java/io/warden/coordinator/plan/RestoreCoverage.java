package io.warden.coordinator.plan;

import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;
import io.warden.coordinator.topology.RestorePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The coverage phase of a whole-deployment restore ({@link RestorePlan}), before the even layout covers anything.
 * A restored master comes up owning the slots its keys are in (Redis claims every unassigned slot it holds keys
 * for); its snapshot's manifest lists the rest of its shard's slots.
 * <ol>
 *   <li>Each restore entry's node, once a joined master, gets the still-unclaimed slots of its manifest's ranges:
 *       the layout the snapshots were taken with, exactly, even where it was not the even split.</li>
 *   <li>Slots of an entry whose node has not joined yet wait for it (reported); the even layout never covers a
 *       slot some entry reserves, so a spare cannot take a restored shard's slots before its data arrives.</li>
 *   <li>Once every entry's node has joined and every slot is covered, the restore is complete: the plan can be
 *       cleared ({@link #complete}).</li>
 * </ol>
 */
final class RestoreCoverage {

    private RestoreCoverage() {
    }

    static Decision plan(ClusterState s, DesiredShape desired) {
        RestorePlan restore = desired.restore();
        if (!restore.active()) {
            return Decision.none(List.of());
        }
        SlotSet unclaimed = SlotSet.all().minus(s.claimed());
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (RestorePlan.Entry entry : restore.entries()) {
            SlotSet missing = entry.slots().intersect(unclaimed);
            if (missing.isEmpty()) {
                continue;
            }
            Optional<NodeView> node = s.members().stream().filter(n -> n.name().equals(entry.node())).findFirst();
            if (node.isEmpty() || !node.get().isMaster() || s.connectGap(node.get()) != null) {
                problems.add("slots " + ClusterState.ranges(missing) + " wait for " + entry.node() + ", which restores " + entry.shard()
                        + " (" + entry.snapshot() + "), to " + (node.isEmpty() ? why(s, entry.node()) : "join as a master"));
                continue;
            }
            steps.add(Step.addSlots(entry.node(), ClusterState.ranges(missing), "restored " + entry.shard() + " from " + entry.snapshot()
                    + ", whose manifest lists these slots"));
            done.add(ClusterState.ranges(missing) + " to " + entry.node() + " (" + entry.shard() + ")");
        }
        return new Decision(steps, "restoring the snapshots' slot layout: " + String.join(", ", done), problems);
    }

    /** Slots the even layout may cover: none an entry reserves. */
    static SlotSet coverable(DesiredShape desired) {
        return SlotSet.all().minus(desired.restore().slots());
    }

    /** Every entry's node has joined the hub's cluster and every slot is served by a live master: the plan is spent. */
    static boolean complete(ClusterView view, DesiredShape desired) {
        RestorePlan restore = desired.restore();
        Optional<ClusterState> state = ClusterState.of(view, Set.of(), restore);
        if (state.isEmpty() || restore.conflict().isPresent()) {
            return false;
        }
        ClusterState s = state.get();
        boolean joined = restore.entries().stream().allMatch(e -> s.members().stream()
                .anyMatch(n -> n.name().equals(e.node()) && s.connectGap(n) == null));
        return joined && SlotSet.all().minus(s.claimedByLive()).isEmpty();
    }

    private static String why(ClusterState s, String name) {
        Optional<NodeView> node = s.view().nodes().stream().filter(n -> n.name().equals(name)).findFirst();
        if (node.isEmpty() || !node.get().reachable()) {
            return "report";
        }
        String refusal = s.strangers().get(node.get());
        return refusal == null ? "join" : "join (" + refusal + ")";
    }
}
