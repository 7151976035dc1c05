package io.warden.common.redis;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The fields of one {@code INFO} reply. Field names are unique across INFO's sections, so they are kept in
 * one map; the structured lines (keyspace, a master's replicas) are parsed into their own records.
 * Typed accessors answer empty when a field is absent (older Redis, other role), never throw.
 */
public record RedisInfo(Map<String, String> fields, List<KeyspaceEntry> keyspace, List<ReplicaLink> replicas) {

    public RedisInfo {
        fields = Map.copyOf(fields);
        keyspace = List.copyOf(keyspace);
        replicas = List.copyOf(replicas);
    }

    public Optional<String> string(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    public OptionalLong longValue(String field) {
        String value = fields.get(field);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public OptionalDouble doubleValue(String field) {
        String value = fields.get(field);
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    public Role role() {
        return Role.fromInfo(fields.getOrDefault("role", "master"));
    }

    public String version() {
        return fields.getOrDefault("redis_version", "unknown");
    }

    public boolean loading() {
        return "1".equals(fields.get("loading"));
    }

    public boolean clusterEnabled() {
        return "1".equals(fields.get("cluster_enabled"));
    }

    /** For a replica: whether its link to the master is up. A master answers false. */
    public boolean masterLinkUp() {
        return "up".equals(fields.get("master_link_status"));
    }

    public Optional<String> masterHost() {
        return string("master_host");
    }

    public OptionalLong masterPort() {
        return longValue("master_port");
    }

    /**
     * The replication offset this node has processed: a master's {@code master_repl_offset}, a replica's
     * {@code slave_repl_offset} (what it has applied from its master).
     */
    public long replicationOffset() {
        String field = role() == Role.REPLICA ? "slave_repl_offset" : "master_repl_offset";
        return longValue(field).orElse(0);
    }

    public long maxmemory() {
        return longValue("maxmemory").orElse(0);
    }

    public long keyCount() {
        return keyspace.stream().mapToLong(KeyspaceEntry::keys).sum();
    }
}
