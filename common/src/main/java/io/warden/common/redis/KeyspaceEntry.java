package io.warden.common.redis;

/** One {@code dbN:keys=…,expires=…,avg_ttl=…} line of INFO keyspace; {@code avgTtlMillis} as Redis reports it. */
public record KeyspaceEntry(int db, long keys, long expires, long avgTtlMillis) {

    /** The label redis_exporter gives this database: {@code db0}, {@code db1}, … */
    public String label() {
        return "db" + db;
    }
}
