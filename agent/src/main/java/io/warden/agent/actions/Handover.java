package io.warden.agent.actions;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.redis.Role;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The two lossless handovers, carried out to the end, each answering once the roles have changed:
 * <ol>
 *   <li>{@link #clusterFailover}: {@code CLUSTER FAILOVER} (no option) on a replica. Its master pauses writes until
 *       the replica holds its full offset, then the replica wins the masters' vote at once. Redis's OK only schedules
 *       it, so the replica's role is polled until it is master.</li>
 *   <li>{@link #handOverTo}: the same for replication mode, step by step from the master (see there).</li>
 * </ol>
 * Both are idempotent: a replica that is master already, a master that already follows the target, do nothing.
 */
public final class Handover {

    /** How often the roles are read while a handover is under way: short, it is the handover's own latency. */
    private static final long POLL_MS = 2;
    /** Redis gives a manual failover 5 s (CLUSTER_MF_TIMEOUT) and then needs the masters' votes: room for two attempts. */
    public static final Duration CLUSTER_FAILOVER_LIMIT = Duration.ofSeconds(13);
    /** One attempt: Redis's CLUSTER_MF_TIMEOUT (5 s) and a second for the vote's outcome to show. */
    private static final Duration MANUAL_FAILOVER_WINDOW = Duration.ofSeconds(6);
    /** CLIENT PAUSE outlives the wait by this much, so it never lifts between promoting the replica and following it. */
    private static final Duration PAUSE_GRACE = Duration.ofSeconds(2);

    private Handover() {
    }

    /**
     * CLUSTER FAILOVER on {@code replica}; completes with a sentence once it reports master, fails after {@code limit}.
     * An attempt that Redis gave up on (its manual failover times out after 5 s, e.g. when another shard's replica
     * won the masters' votes for the same epoch) is made again while the limit allows.
     */
    public static CompletionStage<String> clusterFailover(RedisAsyncCommands<String, String> replica, Duration limit) {
        long start = System.nanoTime();
        return replication(replica).thenCompose(info -> {
            if (info.role() == Role.MASTER) {
                return CompletableFuture.completedFuture("already master");
            }
            return clusterFailoverAttempt(replica, start, start + limit.toNanos(), 1);
        });
    }

    private static CompletionStage<String> clusterFailoverAttempt(RedisAsyncCommands<String, String> replica, long start, long deadline,
                                                                  int attempt) {
        long attemptEnds = Math.min(deadline, System.nanoTime() + MANUAL_FAILOVER_WINDOW.toNanos());
        return replica.clusterFailover(false)
                .thenCompose(ok -> await(replica, attemptEnds, now -> now.role() == Role.MASTER ? "" : null, "")
                        .handle((done, stillReplica) -> stillReplica == null))
                .thenCompose(master -> {
                    if (master) {
                        return CompletableFuture.completedFuture("now master: CLUSTER FAILOVER took " + elapsedMs(start) + " ms"
                                + (attempt > 1 ? " (" + attempt + " attempts)" : ""));
                    }
                    if (System.nanoTime() >= deadline) {
                        return CompletableFuture.failedFuture(new IllegalStateException("still a replica " + elapsedMs(start)
                                + " ms after CLUSTER FAILOVER (" + attempt + (attempt == 1 ? " attempt)" : " attempts)")));
                    }
                    return clusterFailoverAttempt(replica, start, deadline, attempt + 1);
                });
    }

    /**
     * Hands this master's role to its replica {@code target} (at {@code host:port}), step by step (not cluster mode):
     * <ol>
     *   <li>CLIENT PAUSE WRITE here, so the offset stops moving (writes block; reads go on);</li>
     *   <li>wait until the target, read directly, has processed this master's whole offset (at most {@code timeoutMs}; its
     *       first reading travels with the pause);</li>
     *   <li>REPLICAOF NO ONE on the target, then REPLICAOF target here: writes that blocked meanwhile are answered
     *       READONLY once unpaused, never acknowledged by a node that is no longer master;</li>
     *   <li>CLIENT UNPAUSE. If the target did not catch up in time, or could not be promoted: unpause, still master,
     *       nothing lost.</li>
     * </ol>
     * Redis's own {@code FAILOVER TO} does the same but learns the replica's offset only from its once-a-second
     * acknowledgement, so it holds writes for most of a second; reading the replica directly takes milliseconds.
     */
    public static CompletionStage<String> handOverTo(RedisAsyncCommands<String, String> master, RedisAsyncCommands<String, String> target,
                                                     String host, int port, long timeoutMs) {
        long start = System.nanoTime();
        return replication(master).thenCompose(info -> {
            if (info.role() == Role.REPLICA && info.masterHost().filter(host::equals).isPresent() && info.masterPort().orElse(-1) == port) {
                return CompletableFuture.completedFuture("already a replica of " + host + ":" + port);
            }
            if (info.role() == Role.REPLICA) {
                return CompletableFuture.failedFuture(new IllegalStateException("not a master: replicates from "
                        + info.masterHost().orElse("?") + ":" + info.masterPort().orElse(0)));
            }
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            // Writes stay blocked from here to UNPAUSE, so round trips are saved where order allows: the offset is read
            // in the same flight as the pause (Redis runs them in order; INFO is not a write), and UNPAUSE follows
            // REPLICAOF in the same flight (a write that was waiting then meets a replica and is refused READONLY).
            // The target's offset is read alongside too: offsets only grow, so a reading at or past the paused offset
            // proves the target holds everything, whenever it was taken; one behind is followed by another at once.
            CompletionStage<String> paused = client(master, "PAUSE", Long.toString(timeoutMs + PAUSE_GRACE.toMillis()), "WRITE");
            CompletionStage<RedisInfo> offsetAtPause = replication(master);
            CompletionStage<RedisInfo> targetMeanwhile = replication(target);
            return paused.thenCombine(offsetAtPause, (ok, pausedAt) -> pausedAt)
                    .thenCombine(targetMeanwhile, (pausedAt, first) -> caughtUp(first, pausedAt)
                            ? CompletableFuture.completedFuture(pausedAt.replicationOffset())
                            : await(target, deadline, now -> caughtUp(now, pausedAt) ? "" : null, host + ":" + port
                                    + " did not reach offset " + pausedAt.replicationOffset() + " within " + timeoutMs + " ms")
                                    .thenApply(caughtUp -> pausedAt.replicationOffset()))
                    .thenCompose(offset -> offset)
                    .thenCompose(offset -> target.replicaofNoOne().thenApply(promoted -> offset))
                    .<CompletionStage<String>>handle((offset, failure) -> {
                        if (failure != null) { // the target was not promoted: unpause, still master, nothing lost
                            return client(master, "UNPAUSE").<String>handle((ok, e) -> {
                                throw new IllegalStateException("handover to " + host + ":" + port + " abandoned, still master: "
                                        + ActionExecutor.message(failure));
                            });
                        }
                        CompletionStage<String> demoted = master.replicaof(host, port);
                        CompletionStage<String> unpaused = client(master, "UNPAUSE");
                        return demoted.thenCombine(unpaused, (d, u) -> "now a replica of " + host + ":" + port + " (offset " + offset
                                + "); writes paused " + elapsedMs(start) + " ms");
                    })
                    .thenCompose(done -> done);
        });
    }

    /** Watches a replica that a handover is promoting; completes once it is master, fails after {@code limit}. */
    public static CompletionStage<String> awaitPromotion(RedisAsyncCommands<String, String> replica, Duration limit) {
        long start = System.nanoTime();
        return await(replica, start + limit.toNanos(), now -> now.role() == Role.MASTER ? "" : null,
                "still a replica " + limit.toMillis() + " ms later")
                .thenApply(done -> "now master, seen " + elapsedMs(start) + " ms after the watch began");
    }

    /** The target replicates this master's history (same replication ID) and has processed all of it. */
    private static boolean caughtUp(RedisInfo target, RedisInfo master) {
        return target.role() == Role.REPLICA && target.string("master_replid").equals(master.string("master_replid"))
                && target.longValue("slave_repl_offset").orElse(-1) >= master.replicationOffset();
    }

    private static CompletionStage<String> client(RedisAsyncCommands<String, String> redis, String... args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            commandArgs.add(arg);
        }
        return redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), commandArgs);
    }

    private static CompletionStage<RedisInfo> replication(RedisAsyncCommands<String, String> redis) {
        return redis.info("replication").thenApply(RedisInfoParser::parse);
    }

    /**
     * Polls until {@code verdict} answers "" (done) or a reason (failed), or the deadline passes; null means not yet.
     */
    private static CompletionStage<Void> await(RedisAsyncCommands<String, String> redis, long deadlineNanos,
                                               Function<RedisInfo, String> verdict, String timedOut) {
        return replication(redis).thenCompose(info -> {
            String v = verdict.apply(info);
            if (v != null) {
                return v.isEmpty() ? CompletableFuture.<Void>completedFuture(null) : CompletableFuture.<Void>failedFuture(new IllegalStateException(v));
            }
            if (System.nanoTime() > deadlineNanos) {
                return CompletableFuture.<Void>failedFuture(new IllegalStateException(timedOut));
            }
            return CompletableFuture.runAsync(() -> { }, later()).thenCompose(x -> await(redis, deadlineNanos, verdict, timedOut));
        });
    }

    private static Executor later() {
        return CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS);
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
