package io.warden.coordinator.plan;

import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which masters the desired shape keeps and which it empties. Pure.
 * <ol>
 *   <li>Masters on retiring nodes are drained.</li>
 *   <li>Of the other slot masters, the first {@code shards} by rank stay; any beyond are drained (fewer shards on
 *       the same nodes: they become replicas once empty).</li>
 *   <li>Short of {@code shards}, empty spares are reserved as new masters, placed as the bootstrap places them.</li>
 * </ol>
 *
 * @param kept     masters that end with an even share (new ones hold no slot yet)
 * @param drained  masters that end with none
 * @param newMasters spares reserved to become masters (also in {@code kept})
 * @param problems what keeps the shape from being reached
 */
record ShardLayout(List<NodeView> kept, List<NodeView> drained, List<NodeView> newMasters, List<String> problems) {

    static ShardLayout of(ClusterState s, DesiredShape desired) {
        List<NodeView> masters = s.slotMasters().stream().sorted(Retirement.rank()).toList();
        List<NodeView> kept = new ArrayList<>();
        List<NodeView> drained = new ArrayList<>();
        for (NodeView m : masters) {
            if (s.retiring().contains(m.name()) || kept.size() >= desired.shards()) {
                drained.add(m);
            } else {
                kept.add(m);
            }
        }
        List<NodeView> spares = new ArrayList<>(s.spares());
        List<NodeView> newMasters = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        while (kept.size() < desired.shards()) {
            Optional<NodeView> next = Placement.newMaster(spares, kept);
            if (next.isEmpty()) {
                problems.add("no empty node left to become master " + (kept.size() + 1) + " of " + desired.shards());
                break;
            }
            spares.remove(next.get());
            kept.add(next.get());
            newMasters.add(next.get());
        }
        return new ShardLayout(List.copyOf(kept), List.copyOf(drained), List.copyOf(newMasters), problems);
    }
}
