package io.warden.coordinator.topology;

import java.time.Instant;
import java.util.Optional;

/**
 * What failover and retirement decisions need to know of one node beyond its latest report: facts measured over time
 * on the coordinator's own clock (pods' clocks differ), and the report fields only failover reads.
 *
 * @param linkDownSince  a replica whose link to its master is down: since when, continuously (empty when up)
 * @param lastUpOffset   the replication offset in its last report while Redis answered (a dead master's last known offset)
 * @param redisGone      its agent says Redis refuses connections: the process is gone, not merely slow
 * @param clusterEpoch   {@code cluster_current_epoch} it reports (cluster mode)
 * @param replicationId  {@code master_replid}
 * @param replicationId2 {@code master_replid2}: the history it continued from when promoted
 * @param startGuarded   its Redis restarted under its start guard (cluster mode): it serves nobody until told
 * @param servingNothingSince a cluster node serving no slot (none open either): since when, continuously (empty
 *                       while it serves some, or when not known)
 */
public record NodeSignals(Optional<Instant> linkDownSince, long lastUpOffset, boolean redisGone, long clusterEpoch,
                          String replicationId, String replicationId2, boolean startGuarded, Optional<Instant> servingNothingSince) {

    /** A node nothing is known of over time (a view built by hand). */
    public static final NodeSignals NONE = new NodeSignals(Optional.empty(), 0, false, 0, "", "", false, Optional.empty());

    /** {@code master_replid2} of a node that was never promoted. */
    private static final String NO_HISTORY = "0000000000000000000000000000000000000000";

    public NodeSignals {
        replicationId = replicationId == null ? "" : replicationId;
        replicationId2 = replicationId2 == null ? "" : replicationId2;
    }

    /** Whether this node was promoted from the history {@code replicationId} (it continued that master's stream). */
    public boolean continues(String replicationId) {
        return !replicationId.isEmpty() && !replicationId.equals(NO_HISTORY) && replicationId.equals(replicationId2);
    }
}
