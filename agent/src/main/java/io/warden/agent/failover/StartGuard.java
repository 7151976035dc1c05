package io.warden.agent.failover;

import io.warden.common.hash.Sha256;
import io.warden.common.redis.ClusterNodeEntry;

import java.util.List;
import java.util.Optional;

/**
 * Cluster mode's counterpart of {@link StartRole}: what a restarted Redis must do before it serves. Redis Cluster has
 * no way to start a node as a replica from its config ({@code replicaof} is refused with cluster-enabled, and
 * nodes.conf is Redis's own), so a master that restarts without its data would come back master of its slots and
 * hand its empty dataset to the replica that reconnects. Instead, while this node is a master with replicas, the file
 * Redis includes at start restricts the default user: no reads, no writes, no PSYNC or SYNC. A restarted master then
 * serves nobody, and no replica can resync from it, until Warden decides who holds the data: its best replica takes
 * over ({@code CLUSTER FAILOVER FORCE}) and it follows that replica, or it holds as much as any and is let go
 * ({@code LIFT_START_GUARD}). A running Redis is never affected: an include is read at start only. Pure.
 * <p>
 * The rule replaces the default user's rules at start, so it carries the password as its SHA-256 (what
 * {@code requirepass} would have set); INFO, CLUSTER, CONFIG and ACL stay allowed for the agent and the bus.
 */
public final class StartGuard {

    static final String RESTRICTIONS = "-@read -@write -psync -sync";

    private StartGuard() {
    }

    /** The file's content for a cluster node whose view is {@code view}; empty when {@code view} has no myself. */
    public static Optional<String> of(List<ClusterNodeEntry> view, Optional<String> password) {
        Optional<ClusterNodeEntry> myself = view.stream().filter(ClusterNodeEntry::myself).findFirst();
        if (myself.isEmpty()) {
            return Optional.empty();
        }
        boolean masterWithReplicas = myself.get().master()
                && view.stream().anyMatch(n -> n.replica() && myself.get().id().equals(n.masterId()));
        if (!masterWithReplicas) {
            return Optional.of("# written by the warden agent: no start guard (a replica, or a master without replicas, "
                    + "has nobody to empty by restarting)\n");
        }
        String secret = password.map(p -> "#" + Sha256.hex(p)).orElse("nopass");
        return Optional.of("# written by the warden agent: a master with replicas restarts refusing reads, writes and "
                + "replication until Warden decides who holds the data (it, or a replica that then takes over)\n"
                + "user default on " + secret + " ~* &* +@all " + RESTRICTIONS + "\n");
    }

}
