package io.warden.common.wire;

/**
 * The coordinator's answer to a heartbeat: its epoch (so agents learn of a new term at once), who leads, and
 * the digest of this agent's cluster view it now holds (the agent sends the view again only when it differs).
 * Instructions are not queued here: the leader pushes them to the agent's {@code POST /v1/instructions} the
 * moment it decides, and re-plans from observed state if one did not arrive.
 *
 * @param masterLeaseMs replication mode: this agent's Redis is the master the coordinator stands behind, and may take
 *                      writes for this long, counted by the agent from when it sent the heartbeat. Absent (null): no
 *                      lease, and a master without one stops taking writes (DESIGN.md correctness rule 2)
 * @param shardReplicas replication mode: how many replicas the shard should have. A master without a lease keeps
 *                      taking writes only while that many replicas acknowledge it within a second; absent (null):
 *                      unknown, and a master without a lease pauses writes
 */
public record HeartbeatReply(long epoch, String leader, String clusterViewHash, Long masterLeaseMs, Integer shardReplicas) {

    public HeartbeatReply(long epoch, String leader) {
        this(epoch, leader, null, null, null);
    }

    public HeartbeatReply(long epoch, String leader, String clusterViewHash) {
        this(epoch, leader, clusterViewHash, null, null);
    }

    /** The replica count the coordinator gave, -1 when none. */
    public int replicasOfShard() {
        return shardReplicas == null ? -1 : shardReplicas;
    }

    /** The lease granted, 0 when none. */
    public long leaseMs() {
        return masterLeaseMs == null ? 0 : masterLeaseMs;
    }
}
