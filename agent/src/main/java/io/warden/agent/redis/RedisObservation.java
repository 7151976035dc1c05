package io.warden.agent.redis;

import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the agent saw of its Redis in one tick: the immutable snapshot every endpoint answers from, so a
 * probe or a scrape never fans out into Redis calls of its own.
 *
 * @param at           when the tick finished
 * @param took         how long reading Redis took
 * @param reachability whether Redis answered, and if not, why
 * @param info         the INFO reply, when Redis answered
 * @param cluster      CLUSTER INFO, when Redis runs with cluster-enabled
 * @param nodeId       CLUSTER MYID, when cluster-enabled
 * @param masterOffset for a replica: its master's replication offset as the agent read it from the master,
 *                     when the master answered; the replica's lag is this minus its own offset
 * @param databases    the {@code databases} setting, so metrics list every database as redis_exporter does
 * @param clusterNodes CLUSTER NODES as this node sees the cluster, when cluster-enabled (else empty)
 * @param openSlotKeys for each slot this node has open (importing or migrating), the keys it holds there
 */
public record RedisObservation(Instant at, Duration took, Reachability reachability, Optional<RedisInfo> info,
                               Optional<ClusterInfo> cluster, Optional<String> nodeId, OptionalLong masterOffset,
                               int databases, List<ClusterNodeEntry> clusterNodes, Map<Integer, Long> openSlotKeys) {

    public RedisObservation {
        clusterNodes = List.copyOf(clusterNodes);
        openSlotKeys = Map.copyOf(openSlotKeys);
    }

    /** An observation with no slot open. */
    public RedisObservation(Instant at, Duration took, Reachability reachability, Optional<RedisInfo> info,
                            Optional<ClusterInfo> cluster, Optional<String> nodeId, OptionalLong masterOffset,
                            int databases, List<ClusterNodeEntry> clusterNodes) {
        this(at, took, reachability, info, cluster, nodeId, masterOffset, databases, clusterNodes, Map.of());
    }

    /** An observation of a Redis that is not cluster-enabled, or whose cluster view was not read. */
    public RedisObservation(Instant at, Duration took, Reachability reachability, Optional<RedisInfo> info,
                            Optional<ClusterInfo> cluster, Optional<String> nodeId, OptionalLong masterOffset, int databases) {
        this(at, took, reachability, info, cluster, nodeId, masterOffset, databases, List.of());
    }

    /** Whether Redis answered; {@code detail} says why not, in words. */
    public record Reachability(State state, String detail) {

        public enum State { UP, DOWN, AUTH_FAILED }

        /** The detail of a refused connection: nothing listens, the process is gone (not merely slow). */
        public static final String REFUSED = "connection refused";

        public static Reachability up() {
            return new Reachability(State.UP, "");
        }

        public boolean refused() {
            return state == State.DOWN && REFUSED.equals(detail);
        }
    }

    public static RedisObservation down(Instant at, Duration took, Reachability why) {
        return new RedisObservation(at, took, why, Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), 0, List.of());
    }

    /** The observation held before the first tick finishes. */
    public static RedisObservation none(Instant at) {
        return down(at, Duration.ZERO, new Reachability(Reachability.State.DOWN, "not observed yet"));
    }

    public boolean up() {
        return reachability.state() == Reachability.State.UP && info.isPresent();
    }

    public Optional<Role> role() {
        return info.map(RedisInfo::role);
    }

    /** This node's own line of CLUSTER NODES, when cluster-enabled. */
    public Optional<ClusterNodeEntry> myself() {
        return clusterNodes.stream().filter(ClusterNodeEntry::myself).findFirst();
    }

    /**
     * For a replica: bytes between its master's offset and its own, when the master could be read. The two
     * reads are not atomic, so under writes this is a slight overestimate, never an underestimate.
     */
    public OptionalLong replicaLagBytes() {
        if (info.isEmpty() || info.get().role() != Role.REPLICA || masterOffset.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, masterOffset.getAsLong() - info.get().replicationOffset()));
    }
}
