package io.warden.coordinator.plan;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;

import java.util.List;
import java.util.Set;

/**
 * How far the deployment is from an enforced shape, from the view alone. Pure.
 *
 * @param slotsToMove slots that must still change master (cluster mode)
 * @param retiring    nodes beyond the shape still present
 * @param missing     nodes the shape needs that have not reported yet
 * @param settled     every node is reachable, and in cluster mode the masters' own slots add up to all 16384 exactly
 *                    once, served by as many masters as the shape has shards: the numbers above are read from a whole
 *                    cluster (a node missing from the view would hide slots), and a shard without a master is not done
 */
public record ShapeProgress(int slotsToMove, List<String> retiring, int missing, boolean settled) {

    public static ShapeProgress of(ClusterView view, DesiredShape desired) {
        Set<String> retiring = Retirement.retiring(view, desired);
        int missing = Math.max(0, desired.nodesNeeded() - (view.nodes().size() - retiring.size()));
        int slots = 0;
        if (view.mode() == Mode.CLUSTER) {
            slots = ClusterState.of(view, retiring).map(s -> {
                ShardLayout layout = ShardLayout.of(s, desired);
                return SlotBalance.pending(layout.kept(), layout.drained());
            }).orElse(0);
        }
        boolean settled = view.nodes().stream().allMatch(NodeView::reachable) && (view.mode() != Mode.CLUSTER
                || view.slotMasters().size() == desired.shards()
                && view.slotMasters().stream().mapToInt(m -> m.slots().size()).sum() == SlotRange.SLOTS
                && view.slotMasters().stream().map(NodeView::slots).reduce(SlotSet.empty(), SlotSet::union).size() == SlotRange.SLOTS);
        return new ShapeProgress(slots, view.nodes().stream().map(NodeView::name).filter(retiring::contains).toList(), missing, settled);
    }

    public boolean reached() {
        return settled && slotsToMove == 0 && retiring.isEmpty() && missing == 0;
    }
}
