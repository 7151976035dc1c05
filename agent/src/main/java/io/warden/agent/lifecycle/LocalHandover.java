package io.warden.agent.lifecycle;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.warden.agent.actions.Handover;
import io.warden.agent.redis.RedisConnector;
import io.warden.agent.redis.RedisNode;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.redis.ReplicaLink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * preStop's handover when no coordinator answers (DESIGN.md rule 5): the same lossless handover, decided from what
 * this master's Redis knows of its replicas.
 * <ol>
 *   <li>Choose the online replica with the highest acknowledged offset (ties: by address).</li>
 *   <li>Cluster mode: send it {@code CLUSTER FAILOVER}; writes pause here until it has everything.</li>
 *   <li>Replication mode: hand over to it from here (writes paused until it holds everything, see
 *       {@link Handover#handOverTo}), then point the other replicas at it: they would otherwise stay chained to this
 *       node, which is about to stop.</li>
 * </ol>
 */
final class LocalHandover {

    private static final Logger LOG = Logger.getLogger(LocalHandover.class.getName());
    /** How long writes may pause while the replica catches up: long enough for a busy replica, short for clients. */
    static final long HANDOVER_TIMEOUT_MS = 5000;

    private final RedisNode node;

    LocalHandover(RedisNode node) {
        this.node = node;
    }

    /** The replica to hand over to: online, with the highest offset. */
    static Optional<ReplicaLink> choose(RedisInfo info) {
        return info.replicas().stream().filter(ReplicaLink::online)
                .min(Comparator.comparingLong((ReplicaLink r) -> -r.offset()).thenComparing(r -> r.ip() + ":" + r.port()));
    }

    /** Hands over; completes with a sentence saying to whom and how, or fails saying why not. */
    CompletionStage<String> run(boolean clusterMode) {
        return node.commands().thenCompose(local -> local.info("replication").thenCompose(text -> {
            RedisInfo info = RedisInfoParser.parse(text);
            Optional<ReplicaLink> chosen = choose(info);
            if (chosen.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("no online replica to hand over to"));
            }
            ReplicaLink to = chosen.get();
            return clusterMode ? clusterFailover(to) : handOver(local, to, info.replicas());
        }));
    }

    private CompletionStage<String> clusterFailover(ReplicaLink to) {
        RedisConnector replica = node.connectorTo(to.ip(), to.port());
        return replica.connection()
                .thenCompose(c -> Handover.clusterFailover(c.async(), Handover.CLUSTER_FAILOVER_LIMIT))
                .thenApply(done -> "handed over to " + address(to) + " with CLUSTER FAILOVER (" + done + ")")
                .whenComplete((r, e) -> replica.closeAsync());
    }

    private CompletionStage<String> handOver(RedisAsyncCommands<String, String> local, ReplicaLink to, List<ReplicaLink> replicas) {
        RedisConnector target = node.connectorTo(to.ip(), to.port());
        CompletionStage<String> handedOver = target.connection()
                .thenCompose(c -> Handover.handOverTo(local, c.async(), to.ip(), to.port(), HANDOVER_TIMEOUT_MS))
                .whenComplete((r, e) -> target.closeAsync());
        return handedOver.thenCompose(done -> {
            List<CompletableFuture<String>> repointed = new ArrayList<>();
            for (ReplicaLink other : replicas) {
                if (!other.equals(to)) {
                    repointed.add(repoint(other, to).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(repointed.toArray(CompletableFuture[]::new)).thenApply(all ->
                    "handed over to " + address(to) + " (" + done + ")"
                            + (repointed.isEmpty() ? "" : "; " + String.join(", ", repointed.stream().map(CompletableFuture::join).toList())));
        });
    }

    /** REPLICAOF the new master on another replica; a failure is reported in the sentence, the coordinator mends it later. */
    private CompletionStage<String> repoint(ReplicaLink replica, ReplicaLink master) {
        RedisConnector connector = node.connectorTo(replica.ip(), replica.port());
        return connector.connection()
                .thenCompose(c -> c.async().replicaof(master.ip(), master.port()))
                .handle((ok, failure) -> {
                    if (failure != null) {
                        LOG.warning("cannot point " + address(replica) + " at " + address(master) + ": " + failure.getMessage());
                        return address(replica) + " not repointed (" + failure.getMessage() + ")";
                    }
                    return address(replica) + " now follows " + address(master);
                })
                .whenComplete((r, e) -> connector.closeAsync());
    }

    private static String address(ReplicaLink r) {
        return r.ip() + ":" + r.port();
    }
}
