package io.warden.common.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** The fields of one {@code CLUSTER INFO} reply. */
public record ClusterInfo(Map<String, String> fields) {

    public ClusterInfo {
        fields = Map.copyOf(fields);
    }

    /** {@code cluster_state:ok}: every slot is served by a reachable master as this node sees it. */
    public boolean stateOk() {
        return "ok".equals(fields.get("cluster_state"));
    }

    public String state() {
        return fields.getOrDefault("cluster_state", "unknown");
    }

    public OptionalLong longValue(String field) {
        try {
            String value = fields.get(field);
            return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses the text of a {@code CLUSTER INFO} reply ({@code field:value} lines, CRLF or LF). */
    public static ClusterInfo parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return new ClusterInfo(fields);
    }
}
