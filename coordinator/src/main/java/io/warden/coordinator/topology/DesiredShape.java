package io.warden.coordinator.topology;

/** What the user asked for: the mode, S shards (1 in replication mode), R replicas per shard. */
public record DesiredShape(Mode mode, int shards, int replicas) {

    public DesiredShape {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more, got " + replicas);
        }
        if (mode == Mode.REPLICATION && shards != 1) {
            throw new IllegalArgumentException("replication mode has exactly one shard, got " + shards);
        }
    }

    public int nodesNeeded() {
        return shards * (1 + replicas);
    }
}
