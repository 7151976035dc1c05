package io.warden.agent.metrics;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One plain (unlabelled) metric read from one INFO or CLUSTER INFO field, under the name redis_exporter gives
 * it. {@code scale} converts units (microseconds to seconds); {@code okIsOne} maps an ok/err status to 1/0.
 */
record InfoMetric(String field, String name, Kind kind, String help, double scale, boolean okIsOne) {

    enum Kind { GAUGE, COUNTER }

    static InfoMetric gauge(String field, String name, String help) {
        return new InfoMetric(field, name, Kind.GAUGE, help, 1, false);
    }

    static InfoMetric counter(String field, String name, String help) {
        return new InfoMetric(field, name, Kind.COUNTER, help, 1, false);
    }

    static InfoMetric status(String field, String name, String help) {
        return new InfoMetric(field, name, Kind.GAUGE, help, 1, true);
    }

    static InfoMetric scaled(String field, String name, String help, double scale) {
        return new InfoMetric(field, name, Kind.GAUGE, help, scale, false);
    }

    OptionalDouble value(String raw) {
        if (raw == null) {
            return OptionalDouble.empty();
        }
        if (okIsOne) {
            return OptionalDouble.of("ok".equals(raw) ? 1 : 0);
        }
        try {
            return OptionalDouble.of(Double.parseDouble(raw) * scale);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /**
     * INFO fields exported as plain metrics. Counter names carry no {@code _total}: the exposition adds it.
     * redis_exporter's {@code *_duration_sec} gauges are left out: promtool rejects the abbreviated unit.
     */
    static final List<InfoMetric> INFO = List.of(
            gauge("uptime_in_seconds", "redis_uptime_in_seconds", "Seconds since the Redis server started"),
            gauge("connected_clients", "redis_connected_clients", "Client connections (excluding replicas)"),
            gauge("blocked_clients", "redis_blocked_clients", "Clients blocked in a blocking call"),
            gauge("maxclients", "redis_config_maxclients", "The maxclients setting"),
            gauge("used_memory", "redis_memory_used_bytes", "Bytes allocated by Redis"),
            gauge("used_memory_rss", "redis_memory_used_rss_bytes", "Resident set size of the Redis process"),
            gauge("used_memory_peak", "redis_memory_used_peak_bytes", "Peak bytes allocated by Redis"),
            gauge("used_memory_dataset", "redis_memory_used_dataset_bytes", "Bytes used by the dataset"),
            gauge("used_memory_lua", "redis_memory_used_lua_bytes", "Bytes used by the Lua engine"),
            gauge("maxmemory", "redis_memory_max_bytes", "The maxmemory setting, 0 when unlimited"),
            gauge("maxmemory", "redis_config_maxmemory", "The maxmemory setting, 0 when unlimited"),
            gauge("mem_fragmentation_ratio", "redis_mem_fragmentation_ratio", "RSS divided by used memory"),
            gauge("mem_fragmentation_bytes", "redis_mem_fragmentation_bytes", "RSS minus used memory"),
            gauge("connected_slaves", "redis_connected_slaves", "Replicas connected to this node"),
            gauge("master_repl_offset", "redis_master_repl_offset", "Replication offset of this node's stream"),
            gauge("second_repl_offset", "redis_second_repl_offset", "Offset up to which the previous replication ID is valid"),
            gauge("repl_backlog_active", "redis_repl_backlog_is_active", "Whether the replication backlog is active"),
            gauge("repl_backlog_histlen", "redis_repl_backlog_history_bytes", "Bytes of data in the replication backlog"),
            gauge("loading", "redis_loading_dump_file", "1 while Redis loads its dataset"),
            gauge("rdb_changes_since_last_save", "redis_rdb_changes_since_last_save", "Writes since the last RDB save"),
            gauge("rdb_bgsave_in_progress", "redis_rdb_bgsave_in_progress", "1 while a BGSAVE runs"),
            gauge("rdb_last_save_time", "redis_rdb_last_save_timestamp_seconds", "Unix time of the last successful RDB save"),
            status("rdb_last_bgsave_status", "redis_rdb_last_bgsave_status", "1 when the last BGSAVE succeeded"),
            gauge("rdb_last_cow_size", "redis_rdb_last_cow_size_bytes", "Copy-on-write bytes of the last BGSAVE"),
            gauge("aof_enabled", "redis_aof_enabled", "1 when the append-only file is on"),
            gauge("aof_rewrite_in_progress", "redis_aof_rewrite_in_progress", "1 while an AOF rewrite runs"),
            status("aof_last_bgrewrite_status", "redis_aof_last_bgrewrite_status", "1 when the last AOF rewrite succeeded"),
            status("aof_last_write_status", "redis_aof_last_write_status", "1 when the last AOF write succeeded"),
            scaled("latest_fork_usec", "redis_latest_fork_seconds", "Seconds the latest fork took", 1e-6),
            gauge("pubsub_channels", "redis_pubsub_channels", "Pub/sub channels with subscribers"),
            gauge("pubsub_patterns", "redis_pubsub_patterns", "Pub/sub patterns with subscribers"),
            gauge("cluster_enabled", "redis_cluster_enabled", "1 when Redis runs with cluster-enabled"),
            gauge("slave_priority", "redis_slave_priority", "The replica-priority setting"),
            gauge("slave_expires_tracked_keys", "redis_slave_expires_tracked_keys", "Keys a writable replica tracks for expiry"),
            counter("total_connections_received", "redis_connections_received", "Connections accepted"),
            counter("total_commands_processed", "redis_commands_processed", "Commands processed"),
            counter("rejected_connections", "redis_rejected_connections", "Connections rejected for maxclients"),
            counter("expired_keys", "redis_expired_keys", "Keys expired"),
            counter("evicted_keys", "redis_evicted_keys", "Keys evicted for maxmemory"),
            counter("keyspace_hits", "redis_keyspace_hits", "Successful key lookups"),
            counter("keyspace_misses", "redis_keyspace_misses", "Failed key lookups"),
            counter("total_net_input_bytes", "redis_net_input_bytes", "Bytes read from the network"),
            counter("total_net_output_bytes", "redis_net_output_bytes", "Bytes written to the network"),
            counter("used_cpu_sys", "redis_cpu_sys_seconds", "System CPU seconds of the Redis process"),
            counter("used_cpu_user", "redis_cpu_user_seconds", "User CPU seconds of the Redis process"),
            counter("used_cpu_sys_children", "redis_cpu_sys_children_seconds", "System CPU seconds of Redis's children"),
            counter("used_cpu_user_children", "redis_cpu_user_children_seconds", "User CPU seconds of Redis's children"));

    /** CLUSTER INFO fields, exported only when Redis runs with cluster-enabled. */
    static final List<InfoMetric> CLUSTER = List.of(
            status("cluster_state", "redis_cluster_state", "1 when cluster_state is ok"),
            gauge("cluster_slots_assigned", "redis_cluster_slots_assigned", "Slots assigned to some node"),
            gauge("cluster_slots_ok", "redis_cluster_slots_ok", "Slots served by a node not in PFAIL or FAIL"),
            gauge("cluster_slots_pfail", "redis_cluster_slots_pfail", "Slots served by a node in PFAIL"),
            gauge("cluster_slots_fail", "redis_cluster_slots_fail", "Slots served by a node in FAIL"),
            gauge("cluster_known_nodes", "redis_cluster_known_nodes", "Nodes this node knows, handshaking ones included"),
            gauge("cluster_size", "redis_cluster_size", "Masters serving at least one slot"),
            gauge("cluster_current_epoch", "redis_cluster_current_epoch", "The cluster's current epoch"),
            gauge("cluster_my_epoch", "redis_cluster_my_epoch", "This node's config epoch"),
            counter("cluster_stats_messages_sent", "redis_cluster_messages_sent", "Cluster bus messages sent"),
            counter("cluster_stats_messages_received", "redis_cluster_messages_received", "Cluster bus messages received"));
}
