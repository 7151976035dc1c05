package io.warden.coordinator.cli;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Migration;
import io.warden.coordinator.topology.TopologyDocument.Scale;

import java.util.List;

/** One line saying where a requested shape stands, with a bar of the slots moved. Pure. */
public final class ScaleProgressLine {

    static final int WIDTH = 30;

    private ScaleProgressLine() {
    }

    public static String render(TopologyDocument doc) {
        Scale scale = doc.scale();
        if (scale == null) {
            return "";
        }
        String shape = scale.shards() + " shards × " + scale.replicas() + " replicas";
        if (scale.done() && doc.healthy()) {
            return "scaled to " + shape + ": done";
        }
        double share = scale.slotsToMove() == 0 ? (scale.done() ? 1 : 0) : (double) scale.slotsMoved() / scale.slotsToMove();
        int filled = (int) Math.round(share * WIDTH);
        StringBuilder line = new StringBuilder("scaling to ").append(shape).append(": [")
                .append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                .append(Math.round(share * 100)).append("%  ")
                .append(scale.slotsMoved()).append("/").append(scale.slotsToMove()).append(" slots moved");
        List<Migration> open = doc.migrations() == null ? List.of() : doc.migrations();
        if (!open.isEmpty()) {
            long moved = open.stream().mapToLong(m -> m.keysMoved() == null ? 0 : m.keysMoved()).sum();
            line.append(", ").append(open.size()).append(" in flight (").append(moved).append(" keys moved)");
        }
        if (scale.nodesMissing() > 0) {
            line.append(", waiting for ").append(scale.nodesMissing()).append(" new nodes");
        }
        if (!scale.retiring().isEmpty()) {
            line.append(", retiring ").append(String.join(", ", scale.retiring()));
        }
        return line.toString();
    }
}
