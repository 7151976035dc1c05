package io.warden.agent.actions;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.common.redis.ClusterInfo;
import io.warden.common.redis.ClusterNodeEntry;
import io.warden.common.redis.ClusterNodesParser;
import io.warden.common.redis.RedisInfoParser;

import java.time.Duration;
import java.util.List;
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
 *       and repeating it would restart a vote that may be about to succeed.</li>
 * </ol>
 */
final class ForcedFailover {

    /** Redis gives a manual failover 5 s (CLUSTER_MF_TIMEOUT) to complete. */
    static final Duration ELECTION_WINDOW = Duration.ofSeconds(5);

    private final LongSupplier nanoTime;
    private long startedAt;
    private boolean started;

    ForcedFailover(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    CompletionStage<String> run(RedisAsyncCommands<String, String> redis, String masterNodeId, long decidedAtEpoch) {
        CompletableFuture<String> info = redis.clusterInfo().toCompletableFuture();
        CompletableFuture<String> nodes = redis.clusterNodes().toCompletableFuture();
        CompletableFuture<String> replication = redis.info("replication").toCompletableFuture();
        return CompletableFuture.allOf(info, nodes, replication).thenCompose(all -> {
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
            synchronized (this) {
                long now = nanoTime.getAsLong();
                if (started && now - startedAt < ELECTION_WINDOW.toNanos()) {
                    return refuse("a forced failover started " + (now - startedAt) / 1_000_000 + " ms ago; its election is under way");
                }
                started = true;
                startedAt = now;
            }
            return redis.clusterFailover(true).thenApply(ok -> "forced failover from " + masterNodeId + " started at epoch " + epoch);
        });
    }

    private static CompletionStage<String> refuse(String reason) {
        return CompletableFuture.failedFuture(new IllegalStateException(reason));
    }
}
