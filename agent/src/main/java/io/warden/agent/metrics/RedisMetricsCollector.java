package io.warden.agent.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.KeyspaceEntry;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.ReplicaLink;
import io.warden.common.redis.Role;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Renders the latest {@link RedisObservation} as Prometheus metrics named as {@code oliver006/redis_exporter}
 * names them, so its dashboards and alert rules work unchanged. Computed at scrape time from the snapshot:
 * a scrape never calls Redis, and labels that change (role, replicas) need no meter bookkeeping. When Redis
 * is down, only {@code redis_up 0} is reported.
 */
public final class RedisMetricsCollector implements MultiCollector {

    private final Supplier<RedisObservation> latest;

    public RedisMetricsCollector(Supplier<RedisObservation> latest) {
        this.latest = latest;
    }

    @Override
    public MetricSnapshots collect() {
        return render(latest.get());
    }

    static MetricSnapshots render(RedisObservation observation) {
        Families out = new Families();
        out.gauge("redis_up", "1 when the agent could read Redis on its last tick", observation.up() ? 1 : 0);
        if (observation.up()) {
            RedisInfo info = observation.info().orElseThrow();
            plain(out, info.fields(), InfoMetric.INFO);
            observation.cluster().map(ClusterInfo::fields).ifPresent(fields -> plain(out, fields, InfoMetric.CLUSTER));
            instance(out, info);
            keyspace(out, info, observation.databases());
            replication(out, observation, info);
        }
        return out.build();
    }

    private static void plain(Families out, Map<String, String> fields, Iterable<InfoMetric> metrics) {
        for (InfoMetric metric : metrics) {
            OptionalDouble value = metric.value(fields.get(metric.field()));
            if (value.isEmpty()) {
                continue;
            }
            if (metric.kind() == InfoMetric.Kind.COUNTER) {
                out.counter(metric.name(), metric.help(), value.getAsDouble());
            } else {
                out.gauge(metric.name(), metric.help(), value.getAsDouble());
            }
        }
    }

    private static void instance(Families out, RedisInfo info) {
        out.info("redis_instance", "Information about the Redis instance",
                "role", info.string("role").orElse(""),
                "redis_version", info.version(),
                "redis_build_id", info.string("redis_build_id").orElse(""),
                "redis_mode", info.string("redis_mode").orElse(""),
                "os", info.string("os").orElse(""),
                "maxmemory_policy", info.string("maxmemory_policy").orElse(""),
                "tcp_port", info.string("tcp_port").orElse(""),
                "run_id", info.string("run_id").orElse(""),
                "process_id", info.string("process_id").orElse(""));
    }

    /** Every database gets keys and expiring counts (0 when empty), as redis_exporter reports them. */
    private static void keyspace(Families out, RedisInfo info, int databases) {
        Map<Integer, KeyspaceEntry> byDb = new HashMap<>();
        info.keyspace().forEach(e -> byDb.put(e.db(), e));
        for (int db = 0; db < Math.max(databases, 1); db++) {
            KeyspaceEntry entry = byDb.getOrDefault(db, new KeyspaceEntry(db, 0, 0, 0));
            out.gauge("redis_db_keys", "Keys in the database", entry.keys(), "db", entry.label());
            out.gauge("redis_db_keys_expiring", "Keys with an expiry in the database", entry.expires(), "db", entry.label());
        }
        for (KeyspaceEntry entry : info.keyspace()) {
            out.gauge("redis_db_avg_ttl_seconds", "Average time to live of keys with an expiry", entry.avgTtlMillis() / 1000.0,
                    "db", entry.label());
        }
    }

    private static void replication(Families out, RedisObservation observation, RedisInfo info) {
        for (ReplicaLink replica : info.replicas()) {
            String[] labels = {"slave_ip", replica.ip(), "slave_port", Integer.toString(replica.port()), "slave_state", replica.state()};
            out.gauge("redis_connected_slave_lag_seconds", "Seconds since the replica last acknowledged", replica.lagSeconds(), labels);
            out.gauge("redis_connected_slave_offset_bytes", "Replication offset the replica acknowledged", replica.offset(), labels);
        }
        if (info.role() != Role.REPLICA) {
            return;
        }
        String[] master = {"master_host", info.masterHost().orElse(""), "master_port", Long.toString(info.masterPort().orElse(0))};
        out.gauge("redis_master_link_up", "1 when the replica's link to its master is up", info.masterLinkUp() ? 1 : 0, master);
        info.longValue("master_last_io_seconds_ago").ifPresent(v ->
                out.gauge("redis_master_last_io_seconds_ago", "Seconds since the last interaction with the master", v, master));
        info.longValue("master_sync_in_progress").ifPresent(v ->
                out.gauge("redis_master_sync_in_progress", "1 while the replica syncs from its master", v, master));
        info.longValue("slave_repl_offset").ifPresent(v ->
                out.gauge("redis_slave_repl_offset", "Replication offset the replica has applied", v, master));
        out.gauge("redis_slave_info", "Information about the replica", 1,
                master[0], master[1], master[2], master[3], "read_only", info.string("slave_read_only").orElse(""));
        observation.replicaLagBytes().ifPresent(lag ->
                out.gauge("warden_replica_lag_bytes", "Bytes between the master's offset and this replica's", lag));
    }
}
