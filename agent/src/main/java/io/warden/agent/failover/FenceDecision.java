package io.warden.agent.failover;

import io.warden.common.redis.Role;

/**
 * Whether to pause or resume writes on the local Redis (replication mode, DESIGN.md correctness rule 2). Pure.
 * <ol>
 *   <li>Cluster mode, or Redis not up: nothing (Redis Cluster's epochs decide; a dead Redis takes no writes).</li>
 *   <li>Before the agent ever heard from a coordinator: nothing. Redis keeps serving while Warden is not there yet
 *       (DESIGN.md rule 5: an existing Redis adopted before the coordinator runs); leases start with the first
 *       answer.</li>
 *   <li>A master without a valid lease: pause writes, again on every check so the pause never runs out while the
 *       lease is missing. This covers a master cut off from the coordinator, an old master that comes back, and a
 *       master whose Redis restarted: none takes a write before the coordinator stands behind it.</li>
 *   <li>A master with a lease, or a node that is no longer a master, whose writes this agent paused: resume.</li>
 * </ol>
 */
public enum FenceDecision {
    PAUSE, RESUME, NOTHING;

    public static FenceDecision decide(boolean redisUp, boolean clusterEnabled, Role role, boolean coordinatorAnswered,
                                       boolean leaseValid, boolean paused) {
        if (!redisUp || clusterEnabled) {
            return NOTHING;
        }
        if (role == Role.MASTER && !leaseValid && coordinatorAnswered) {
            return PAUSE;
        }
        return paused ? RESUME : NOTHING;
    }
}
