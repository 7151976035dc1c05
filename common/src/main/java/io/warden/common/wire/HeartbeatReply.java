package io.warden.common.wire;

/**
 * The coordinator's answer to a heartbeat: its epoch (so agents learn of a new term at once), who leads, and
 * the digest of this agent's cluster view it now holds (the agent sends the view again only when it differs).
 * Instructions are not queued here: the leader pushes them to the agent's {@code POST /v1/instructions} the
 * moment it decides, and re-plans from observed state if one did not arrive.
 */
public record HeartbeatReply(long epoch, String leader, String clusterViewHash) {

    public HeartbeatReply(long epoch, String leader) {
        this(epoch, leader, null);
    }
}
