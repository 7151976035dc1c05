package io.warden.coordinator.plan;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.topology.NodeView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slot moves that bring every kept master to an even share and empty the masters being drained. Pure.
 * <ol>
 *   <li>Quotas: the slots held by all masters, split evenly over the kept ones; the masters already holding most
 *       get the one extra slot where the split is uneven (fewest moves).</li>
 *   <li>Sources: every slot of a drained master, and what a kept master holds above its quota, taken from the
 *       high end of its ranges (what stays is contiguous).</li>
 *   <li>Destinations: kept masters below quota, the furthest below first, each filled with consecutive slots.</li>
 * </ol>
 * Balanced enough needs no move: nothing to drain, no kept master empty, and every kept master within
 * {@link #TOLERANCE} of an even share (a cluster laid out by another tool is not churned for a slot or two).
 */
final class SlotBalance {

    /** How far from an even share a master may be before slots move. */
    static final double TOLERANCE = 0.01;

    private SlotBalance() {
    }

    /** One batch of consecutive moves from one source to one destination. */
    record Move(NodeView source, NodeView target, SlotSet slots) {
    }

    /** The moves, grouped by source then destination; none when balanced enough. */
    static List<Move> moves(List<NodeView> kept, List<NodeView> drained) {
        if (kept.isEmpty() || balancedEnough(kept, drained)) {
            return List.of();
        }
        Map<NodeView, Integer> quota = quotas(kept, drained);
        Map<NodeView, Integer> deficit = new LinkedHashMap<>();
        kept.stream().filter(m -> m.slots().size() < quota.get(m))
                .sorted(Comparator.comparingInt((NodeView m) -> m.slots().size() - quota.get(m)).thenComparing(NodeView::name))
                .forEach(m -> deficit.put(m, quota.get(m) - m.slots().size()));
        List<Move> moves = new ArrayList<>();
        List<NodeView> sources = new ArrayList<>(drained);
        kept.stream().filter(m -> m.slots().size() > quota.get(m))
                .sorted(Comparator.comparingInt((NodeView m) -> quota.get(m) - m.slots().size()).thenComparing(NodeView::name))
                .forEach(sources::add);
        for (NodeView source : sources) {
            int surplus = drained.contains(source) ? source.slots().size() : source.slots().size() - quota.get(source);
            List<Integer> giving = highest(source.slots(), surplus);
            int i = 0;
            for (Map.Entry<NodeView, Integer> d : deficit.entrySet()) {
                if (i >= giving.size()) {
                    break;
                }
                int take = Math.min(d.getValue(), giving.size() - i);
                if (take == 0) {
                    continue;
                }
                moves.add(new Move(source, d.getKey(), SlotSet.of(giving.subList(i, i + take).stream().map(s -> SlotRange.of(s, s)).toList())));
                d.setValue(d.getValue() - take);
                i += take;
            }
        }
        return moves;
    }

    /** Slots still to move before the shape is balanced (0 when balanced enough). */
    static int pending(List<NodeView> kept, List<NodeView> drained) {
        return moves(kept, drained).stream().mapToInt(m -> m.slots().size()).sum();
    }

    static boolean balancedEnough(List<NodeView> kept, List<NodeView> drained) {
        if (drained.stream().anyMatch(m -> !m.slots().isEmpty()) || kept.stream().anyMatch(m -> m.slots().isEmpty())) {
            return false;
        }
        double even = (double) total(kept, drained) / kept.size();
        return kept.stream().allMatch(m -> Math.abs(m.slots().size() - even) <= even * TOLERANCE);
    }

    private static Map<NodeView, Integer> quotas(List<NodeView> kept, List<NodeView> drained) {
        int total = total(kept, drained);
        int base = total / kept.size();
        int extra = total % kept.size();
        Map<NodeView, Integer> quota = new LinkedHashMap<>();
        List<NodeView> byHolding = kept.stream()
                .sorted(Comparator.comparingInt((NodeView m) -> -m.slots().size()).thenComparing(NodeView::name)).toList();
        for (int i = 0; i < byHolding.size(); i++) {
            quota.put(byHolding.get(i), base + (i < extra ? 1 : 0));
        }
        return quota;
    }

    private static int total(List<NodeView> kept, List<NodeView> drained) {
        return kept.stream().mapToInt(m -> m.slots().size()).sum() + drained.stream().mapToInt(m -> m.slots().size()).sum();
    }

    /** The {@code count} highest slots of {@code slots}, ascending. */
    private static List<Integer> highest(SlotSet slots, int count) {
        List<Integer> all = new ArrayList<>();
        List<SlotRange> ranges = slots.ranges();
        for (int r = ranges.size() - 1; r >= 0 && all.size() < count; r--) {
            for (int s = ranges.get(r).end(); s >= ranges.get(r).start() && all.size() < count; s--) {
                all.add(s);
            }
        }
        java.util.Collections.reverse(all);
        return all;
    }
}
