package io.warden.agent.actions;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.redis.RedisInfoParser;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@code CLUSTER FAILOVER FORCE} on this replica, only while what the coordinator decided on still holds:
 * <ol>
 *   <li>this node has not seen a cluster epoch newer than the one the decision was made on (else the cluster changed
 *       since, e.g. Redis's own failover ran, and the coordinator must look again);</li>
 *   <li>it still replicates the dead master, and its link to it is down;</li>
 *   <li>it did not start a forced failover in the last {@link #ELECTION_WINDOW}: an OK only schedules the election,
 *       and repeating it would restart a vote that may be about to succeed;</li>
 *   <li>when the election it started for the same master is past that window and this node is still a replica, the
 *       election lost: a master refused its vote or never answered. (A master refuses, "it is a master node", when it
 *       has not yet heard from this node since it became a replica, which Redis 7.0 does not announce: up to half a
 *       node timeout after {@code CLUSTER REPLICATE}.) Redis holds no other election for this node until four node
 *       timeouts after the first (its auth retry time, 60 s at the default 15 s), and a FORCE in between only waits
 *       for votes that will not come. So the node takes over without a vote ({@code CLUSTER FAILOVER TAKEOVER}): the
 *       coordinator has decided that the master is dead and that this replica replaces it, and the new config epoch
 *       settles the slots as an election's would.</li>
 * </ol>
 * The coordinator asks for the takeover at once ({@code withoutVote}) when it sees a master that still lists this node
 * as a master and would refuse the vote.
 */
final class ForcedFailover {

    /**
     * How long an election may take before it counts as lost. Votes come back within milliseconds when they come at
     * all; Redis itself gives a manual failover 5 s (CLUSTER_MF_TIMEOUT). A takeover after a slow election that would
     * have won promotes the same node, and the late votes are ignored.
     */
    static final Duration ELECTION_WINDOW = Duration.ofSeconds(2);

    /** Redis's default {@code cluster-node-timeout}, assumed when {@code CONFIG GET} is refused. */
    static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(15_000);

    /** What to send this time. */
    enum Move { FORCE, TAKEOVER, WAIT }

    /** The last failover this agent started here (an election, or a takeover): which master it replaced, and when (nanoTime). */
    record Election(String masterNodeId, long startedAt) {
    }

    private final LongSupplier nanoTime;
    private Optional<Election> last = Optional.empty();

    ForcedFailover(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    CompletionStage<String> run(RedisAsyncCommands<String, String> redis, String masterNodeId, long decidedAtEpoch,
                                boolean withoutVote) {
        CompletableFuture<String> info = redis.clusterInfo().toCompletableFuture();
        CompletableFuture<String> nodes = redis.clusterNodes().toCompletableFuture();
        CompletableFuture<String> replication = redis.info("replication").toCompletableFuture();
        CompletableFuture<Duration> nodeTimeout = redis.configGet("cluster-node-timeout").toCompletableFuture()
                .thenApply(ForcedFailover::nodeTimeout)
                .exceptionally(refused -> DEFAULT_NODE_TIMEOUT);
        return CompletableFuture.allOf(info, nodes, replication, nodeTimeout).thenCompose(all -> {
            long epoch = ClusterInfo.parse(info.join()).longValue("cluster_current_epoch").orElse(0);
            if (epoch > decidedAtEpoch) {
                return refuse("the cluster is at epoch " + epoch + ", newer than the decision's " + decidedAtEpoch
                        + "; the coordinator must look again");
            }
            List<ClusterNodeEntry> entries = ClusterNodesParser.parse(nodes.join());
            boolean replicates = entries.stream().anyMatch(n -> n.myself() && n.replica() && masterNodeId.equals(n.masterId()));
            if (!replicates) {
                return refuse("this node no longer replicates " + masterNodeId);
            }
            if (RedisInfoParser.parse(replication.join()).masterLinkUp()) {
                return refuse("the link to master " + masterNodeId + " is up again");
            }
            long now = nanoTime.getAsLong();
            Optional<Election> before;
            Move move;
            synchronized (this) {
                before = last;
                move = next(before, masterNodeId, now, nodeTimeout.join(), withoutVote);
                if (move != Move.WAIT) {
                    last = Optional.of(new Election(masterNodeId, now));
                }
            }
            long agoMs = before.map(e -> (now - e.startedAt()) / 1_000_000).orElse(0L);
            return switch (move) {
                case WAIT -> refuse("a failover started here " + agoMs + " ms ago is under way");
                case FORCE -> redis.clusterFailover(true)
                        .thenApply(ok -> "forced failover from " + masterNodeId + " started at epoch " + epoch);
                // (false, true): FORCE and TAKEOVER exclude each other, and Lettuce sends only FORCE when asked for both
                case TAKEOVER -> redis.clusterFailover(false, true)
                        .thenApply(ok -> "took over from " + masterNodeId + " without a vote at epoch " + epoch + ": "
                                + (before.filter(e -> e.masterNodeId().equals(masterNodeId)).isPresent()
                                ? "the forced election started " + agoMs + " ms ago did not promote this node, and Redis holds"
                                + " no other one for four node timeouts"
                                : "the coordinator saw a master that would refuse the vote"));
            };
        });
    }

    /**
     * Pure: FORCE for a first election (or one after Redis's retry time, when Redis would hold a new one), WAIT while
     * the last one may still win, TAKEOVER when it is over and lost, or at once when the vote would be refused.
     */
    static Move next(Optional<Election> last, String masterNodeId, long now, Duration nodeTimeout, boolean withoutVote) {
        if (last.isEmpty() || !last.get().masterNodeId().equals(masterNodeId)) {
            return withoutVote ? Move.TAKEOVER : Move.FORCE;
        }
        long age = now - last.get().startedAt();
        if (age < ELECTION_WINDOW.toNanos()) {
            return Move.WAIT;
        }
        return withoutVote || age <= authRetryTime(nodeTimeout).toNanos() ? Move.TAKEOVER : Move.FORCE;
    }

    /** Redis's auth retry time: twice the election's timeout, itself twice the node timeout and at least 2 s. */
    static Duration authRetryTime(Duration nodeTimeout) {
        Duration authTimeout = nodeTimeout.multipliedBy(2);
        return (authTimeout.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : authTimeout).multipliedBy(2);
    }

    private static Duration nodeTimeout(Map<String, String> config) {
        String millis = config.get("cluster-node-timeout");
        return millis == null ? DEFAULT_NODE_TIMEOUT : Duration.ofMillis(Long.parseLong(millis));
    }

    private static CompletionStage<String> refuse(String reason) {
        return CompletableFuture.failedFuture(new IllegalStateException(reason));
    }
}
