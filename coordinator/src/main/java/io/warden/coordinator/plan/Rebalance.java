package io.warden.coordinator.plan;

import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slot-moving phase of a shape change: empties the masters the shape drops and brings every kept master
 * (new ones included) to within 1% of an even share, one migration step per source and destination, all at once.
 * Moves start only when {@link MigrationSafety} allows; the plan is recomputed from Redis every tick, so a move a
 * crash interrupted is simply planned again (its open slots first finished by the open-slots phase).
 */
final class Rebalance {

    private Rebalance() {
    }

    static Decision plan(ClusterState s, DesiredShape desired) {
        if (!desired.enforced() || s.slotMasters().isEmpty()) {
            return Decision.none(List.of());
        }
        ShardLayout layout = ShardLayout.of(s, desired);
        List<SlotBalance.Move> moves = SlotBalance.moves(layout.kept(), layout.drained());
        if (moves.isEmpty()) {
            return Decision.none(layout.problems());
        }
        Optional<String> refusal = MigrationSafety.refusal(s, moves);
        if (refusal.isPresent()) {
            List<String> problems = new ArrayList<>(layout.problems());
            problems.add(SlotBalance.pending(layout.kept(), layout.drained()) + " slots to move wait: " + refusal.get());
            return Decision.none(problems);
        }
        List<Step> steps = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (SlotBalance.Move move : moves) {
            NodeView target = move.target();
            List<String> others = s.slotMasters().stream().filter(m -> m != move.source() && m != target).map(NodeView::redisAddress).toList();
            String why = layout.drained().contains(move.source()) ? move.source().name() + " is being emptied"
                    : layout.newMasters().contains(target) ? target.name() + " is a new master" : "evening out the shares";
            steps.add(Step.migrateSlots(move.source().name(), ClusterState.ranges(move.slots()), target.host(), target.port(),
                    target.nodeId(), others, why));
            done.add(move.slots().size() + " from " + move.source().name() + " to " + target.name());
        }
        return new Decision(steps, "moving slots: " + String.join(", ", done), layout.problems());
    }
}
