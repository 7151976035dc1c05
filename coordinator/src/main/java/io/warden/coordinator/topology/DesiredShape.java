package io.warden.coordinator.topology;

/**
 * What the user asked for: the mode, S shards (1 in replication mode), R replicas per shard.
 *
 * @param enforced the shape was set by a scale request ({@code POST /v1/scale}): slots are rebalanced to it and
 *                 nodes beyond {@link #nodesNeeded()} retire. A shape only configured at start bootstraps and heals,
 *                 and leaves extra nodes as spares and an adopted cluster's slots where they are.
 * @param restore  a whole-deployment restore under way (cluster mode), {@link RestorePlan#NONE} otherwise
 */
public record DesiredShape(Mode mode, int shards, int replicas, boolean enforced, RestorePlan restore) {

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
        restore = restore == null ? RestorePlan.NONE : restore;
        if (mode == Mode.REPLICATION && restore.active()) {
            throw new IllegalArgumentException("a restore plan places shards by slots: cluster mode only");
        }
    }

    /** A shape without a restore under way. */
    public DesiredShape(Mode mode, int shards, int replicas, boolean enforced) {
        this(mode, shards, replicas, enforced, RestorePlan.NONE);
    }

    /** A shape configured at start (not enforced). */
    public DesiredShape(Mode mode, int shards, int replicas) {
        this(mode, shards, replicas, false);
    }

    public int nodesNeeded() {
        return shards * (1 + replicas);
    }

    /** The same shape, enforced: what a scale request records. */
    public DesiredShape enforce() {
        return new DesiredShape(mode, shards, replicas, true, restore);
    }

    /** The same shape with the restore done. */
    public DesiredShape withoutRestore() {
        return new DesiredShape(mode, shards, replicas, enforced, RestorePlan.NONE);
    }
}
