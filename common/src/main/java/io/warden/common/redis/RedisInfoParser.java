package io.warden.common.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text of an {@code INFO} reply: {@code # Section} headers, {@code field:value} lines, CRLF or LF.
 * Keyspace ({@code db0:keys=…}) and replica ({@code slave0:ip=…}) lines become records; every line also
 * stays in the field map, so nothing Redis said is dropped.
 */
public final class RedisInfoParser {

    private RedisInfoParser() {
    }

    public static RedisInfo parse(String text) {
        Map<String, String> fields = new HashMap<>();
        List<KeyspaceEntry> keyspace = new ArrayList<>();
        List<ReplicaLink> replicas = new ArrayList<>();
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String field = line.substring(0, colon);
            String value = line.substring(colon + 1);
            fields.put(field, value);
            if (isNumbered(field, "db")) {
                keyspace.add(keyspaceEntry(Integer.parseInt(field.substring(2)), properties(value)));
            } else if (isNumbered(field, "slave")) {
                replicas.add(replicaLink(properties(value)));
            }
        }
        return new RedisInfo(fields, keyspace, replicas);
    }

    /** Splits {@code a=1,b=2} into a map; values may not contain commas in the lines we read. */
    static Map<String, String> properties(String value) {
        Map<String, String> properties = new HashMap<>();
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                properties.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return properties;
    }

    private static boolean isNumbered(String field, String prefix) {
        if (field.length() <= prefix.length() || !field.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < field.length(); i++) {
            if (!Character.isDigit(field.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static KeyspaceEntry keyspaceEntry(int db, Map<String, String> p) {
        return new KeyspaceEntry(db, number(p, "keys"), number(p, "expires"), number(p, "avg_ttl"));
    }

    private static ReplicaLink replicaLink(Map<String, String> p) {
        return new ReplicaLink(p.getOrDefault("ip", ""), (int) number(p, "port"), p.getOrDefault("state", "unknown"),
                number(p, "offset"), number(p, "lag"));
    }

    private static long number(Map<String, String> p, String key) {
        try {
            return Long.parseLong(p.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
