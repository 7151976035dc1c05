package io.warden.agent.failover;

import io.warden.common.redis.Role;

/**
 * How the local Redis should take writes (replication mode, DESIGN.md correctness rules 2 and 5). Pure.
 * <ol>
 *   <li>Cluster mode, or Redis not up: as it is (Redis Cluster's epochs decide; a dead Redis takes no writes).</li>
 *   <li>Before the agent ever heard from a coordinator: open. Redis keeps serving while Warden is not there yet
 *       (an existing Redis adopted before the coordinator runs); leases start with the first answer.</li>
 *   <li>A master with a valid lease, or a node that is not a master: open.</li>
 *   <li>A master without a lease whose coordinator said how many replicas its shard has: {@link #REPLICAS_REQUIRED}.
 *       Redis itself then refuses writes unless that many replicas acknowledged within the last second
 *       ({@code min-replicas-to-write}, {@code min-replicas-max-lag 1}). The coordinator promotes only a replica
 *       whose link has been down for the down-after time (≥ 2 s), and that replica stops acknowledging the moment
 *       its link goes: Redis refuses writes before the promotion can happen, while a master merely cut off from
 *       the coordinator (every replica still streaming from it) keeps serving — losing the coordinator stops
 *       reconciliation, never traffic.</li>
 *   <li>A master without a lease and no replica count (a coordinator that predates it): {@link #PAUSED}, renewed on
 *       every check so the pause never runs out while the lease is missing.</li>
 * </ol>
 */
public enum FenceDecision {
    OPEN, REPLICAS_REQUIRED, PAUSED, AS_IT_IS;

    /**
     * @param shardReplicas the replica count the coordinator last gave for this shard, negative when it gave none
     */
    public static FenceDecision decide(boolean redisUp, boolean clusterEnabled, Role role, boolean coordinatorAnswered,
                                       boolean leaseValid, int shardReplicas) {
        if (!redisUp || clusterEnabled) {
            return AS_IT_IS;
        }
        if (role != Role.MASTER || !coordinatorAnswered || leaseValid) {
            return OPEN;
        }
        return shardReplicas >= 0 ? REPLICAS_REQUIRED : PAUSED;
    }
}
