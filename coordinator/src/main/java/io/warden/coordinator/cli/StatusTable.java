package io.warden.coordinator.cli;

import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Member;
import io.warden.coordinator.topology.TopologyDocument.Shard;

import java.util.ArrayList;
import java.util.List;

/** Renders the topology document as the table {@code bin/warden status} prints. Pure. */
public final class StatusTable {

    private StatusTable() {
    }

    public static String render(TopologyDocument doc) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SHARD", "ROLE", "NAME", "REDIS", "AGENT", "STATE", "LAG", "SLOTS"});
        for (Shard shard : doc.shards()) {
            String slots = shard.slots() == null ? "" : String.join(",", shard.slots());
            rows.add(row(shard.id(), "master", shard.master(), slots));
            for (Member replica : shard.replicas()) {
                rows.add(row(shard.id(), "replica", replica, ""));
            }
        }
        for (Member spare : doc.spares()) {
            rows.add(row("-", "spare", spare, ""));
        }
        StringBuilder out = new StringBuilder();
        out.append(doc.mode()).append(" mode, epoch ").append(doc.epoch()).append(", leader ").append(doc.leader())
                .append(", ").append(doc.healthy() ? "healthy" : "NOT healthy");
        if (doc.slotsCovered() != null) {
            out.append(", ").append(doc.slotsCovered()).append("/16384 slots covered");
        }
        out.append('\n').append(table(rows));
        String scale = ScaleProgressLine.render(doc);
        if (!scale.isEmpty()) {
            out.append(scale).append('\n');
        }
        if (doc.migrations() != null && !doc.migrations().isEmpty()) {
            List<String[]> moving = new ArrayList<>();
            moving.add(new String[] {"MIGRATING", "FROM", "TO", "KEYS MOVED", "KEYS LEFT"});
            doc.migrations().forEach(m -> moving.add(new String[] {Integer.toString(m.slot()), m.source(), m.target(),
                    m.keysMoved() == null ? "?" : m.keysMoved().toString(), m.keysLeft() == null ? "?" : m.keysLeft().toString()}));
            out.append(table(moving));
        }
        doc.problems().forEach(p -> out.append("problem: ").append(p).append('\n'));
        return out.toString();
    }

    private static String[] row(String shard, String role, Member m, String slots) {
        return new String[] {shard, role, m.name(), m.redis(), m.agent(), m.state(), m.lagBytes() == null ? "" : m.lagBytes() + "B", slots};
    }

    static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
