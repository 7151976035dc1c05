package io.warden.agent.failover;

import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.ReplicaLink;
import io.warden.common.redis.Role;

import java.util.Comparator;
import java.util.Optional;

/**
 * The role Redis should come back in if it restarts, decided while it runs (replication mode). A master restarted
 * without its data (persistence off, a lost volume) would hand its empty dataset to every replica that reconnects;
 * Redis reads this file ({@code include}) before it serves anything, so it never starts as that master. Pure.
 * <ol>
 *   <li>A replica comes back a replica of the same master.</li>
 *   <li>A master with replicas comes back a replica of the one with the highest offset. That replica still follows
 *       this node's address and, its own link being down, refuses to serve a sync ({@code NOMASTERLINK}): nobody
 *       resyncs from anybody until the coordinator promotes the replica holding the most data.</li>
 *   <li>A master without replicas comes back a master: there is nobody to protect.</li>
 * </ol>
 */
public final class StartRole {

    private StartRole() {
    }

    /** The file's content for the Redis described by {@code info}; empty in cluster mode (nodes.conf keeps roles there). */
    public static Optional<String> of(RedisInfo info) {
        if (info.clusterEnabled()) {
            return Optional.empty();
        }
        if (info.role() == Role.REPLICA) {
            return info.masterHost().map(host -> line(host, info.masterPort().orElse(6379), "a replica restarts following its master"));
        }
        Optional<ReplicaLink> best = info.replicas().stream()
                .filter(r -> !r.ip().isEmpty() && r.port() > 0)
                .max(Comparator.comparingLong(ReplicaLink::offset));
        return Optional.of(best.map(r -> line(r.ip(), r.port(), "a master with replicas restarts as a replica of the most "
                + "up-to-date one, never as the source of a resync; the coordinator settles who leads")).orElse(
                "# a master without replicas restarts as a master\n"));
    }

    private static String line(String host, long port, String why) {
        return "# written by the warden agent: " + why + "\nreplicaof " + host + " " + port + "\n";
    }
}
