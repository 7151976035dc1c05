package io.warden.common.wire;

/**
 * The coordinator's answer to a heartbeat: its epoch (so agents learn of a new term at once), who leads, and
 * the digest of this agent's cluster view it now holds (the agent sends the view again only when it differs).
 * Instructions are not queued here: the leader pushes them to the agent's {@code POST /v1/instructions} the
 * moment it decides, and re-plans from observed state if one did not arrive.
 *
 * @param masterLeaseMs replication mode: this agent's Redis is the master the coordinator stands behind, and may take
 *                      writes for this long, counted by the agent from when it sent the heartbeat. Absent (null): no
 *                      lease, and a master without one pauses writes (DESIGN.md correctness rule 2)
 */
public record HeartbeatReply(long epoch, String leader, String clusterViewHash, Long masterLeaseMs) {

    public HeartbeatReply(long epoch, String leader) {
        this(epoch, leader, null, null);
    }

    public HeartbeatReply(long epoch, String leader, String clusterViewHash) {
        this(epoch, leader, clusterViewHash, null);
    }

    /** The lease granted, 0 when none. */
    public long leaseMs() {
        return masterLeaseMs == null ? 0 : masterLeaseMs;
    }
}
