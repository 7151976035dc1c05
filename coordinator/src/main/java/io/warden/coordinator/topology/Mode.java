package io.warden.coordinator.topology;

/** DESIGN.md's two modes: Redis Cluster (sharded), or one master with replicas (Warden replaces Sentinel). */
public enum Mode {
    CLUSTER, REPLICATION;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Mode parse(String text) {
        return switch (text) {
            case "cluster" -> CLUSTER;
            case "replication" -> REPLICATION;
            default -> throw new IllegalArgumentException("mode must be cluster or replication, got " + text);
        };
    }
}
