package io.warden.agent.actions;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.RedisInfoParser;
import io.warden.common.redis.Role;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The two lossless handovers Redis offers, carried out to the end. Redis's OK only schedules either one, so each
 * then polls {@code INFO replication} until the roles have changed or the attempt is over:
 * <ol>
 *   <li>{@link #clusterFailover}: {@code CLUSTER FAILOVER} (no option) on a replica. Its master pauses writes until
 *       the replica holds its full offset, then the replica wins the masters' vote at once.</li>
 *   <li>{@link #failoverTo}: {@code FAILOVER TO host port TIMEOUT ms} on a master (not cluster mode). It pauses
 *       writes, waits for that replica's offset, turns itself into the replica's replica and hands over; when the
 *       replica does not catch up in time it aborts and stays master, having lost nothing.</li>
 * </ol>
 * Both are idempotent: a replica that is master already, a master that already follows the target, do nothing.
 */
public final class Handover {

    /** How often the roles are read while a handover is under way: short, it is the handover's own latency. */
    private static final long POLL_MS = 20;
    /** Redis gives a manual failover 5 s (CLUSTER_MF_TIMEOUT) and then needs the masters' votes. */
    public static final Duration CLUSTER_FAILOVER_LIMIT = Duration.ofSeconds(10);
    /** After FAILOVER's own timeout, the demotion and the replica's promotion take a moment more. */
    private static final Duration FAILOVER_GRACE = Duration.ofSeconds(2);

    private Handover() {
    }

    /** Redis's FAILOVER command, which Lettuce does not name. */
    private enum Command implements ProtocolKeyword {
        FAILOVER;

        @Override
        public byte[] getBytes() {
            return name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** CLUSTER FAILOVER on {@code replica}; completes with a sentence once it reports master, fails after {@code limit}. */
    public static CompletionStage<String> clusterFailover(RedisAsyncCommands<String, String> replica, Duration limit) {
        long start = System.nanoTime();
        return replication(replica).thenCompose(info -> {
            if (info.role() == Role.MASTER) {
                return CompletableFuture.completedFuture("already master");
            }
            return replica.clusterFailover(false)
                    .thenCompose(ok -> await(replica, start + limit.toNanos(), now -> now.role() == Role.MASTER ? "" : null,
                            "still a replica " + limit.toMillis() + " ms after CLUSTER FAILOVER"))
                    .thenApply(done -> "now master: CLUSTER FAILOVER took " + elapsedMs(start) + " ms");
        });
    }

    /**
     * FAILOVER TO host port TIMEOUT timeoutMs on {@code master}; completes once it is a replica of that target, fails
     * when Redis aborted the failover (the target did not catch up) or nothing changed within the timeout and grace.
     */
    public static CompletionStage<String> failoverTo(RedisAsyncCommands<String, String> master, String host, int port, long timeoutMs) {
        long start = System.nanoTime();
        return replication(master).thenCompose(info -> {
            if (info.role() == Role.REPLICA && info.masterHost().filter(host::equals).isPresent() && info.masterPort().orElse(-1) == port) {
                return CompletableFuture.completedFuture("already a replica of " + host + ":" + port);
            }
            if (info.role() == Role.REPLICA) {
                return CompletableFuture.failedFuture(new IllegalStateException("not a master: replicates from "
                        + info.masterHost().orElse("?") + ":" + info.masterPort().orElse(0)));
            }
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8)
                    .add("TO").add(host).add(port).add("TIMEOUT").add(timeoutMs);
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs) + FAILOVER_GRACE.toNanos();
            return master.dispatch(Command.FAILOVER, new StatusOutput<>(StringCodec.UTF8), args)
                    .thenCompose(ok -> await(master, deadline, now -> {
                        if (now.role() == Role.REPLICA) {
                            return "";
                        }
                        boolean aborted = "no-failover".equals(now.string("master_failover_state").orElse("no-failover"));
                        return aborted ? "FAILOVER to " + host + ":" + port + " was aborted: the replica did not catch up within "
                                + timeoutMs + " ms; still master, nothing lost" : null;
                    }, "still master " + (timeoutMs + FAILOVER_GRACE.toMillis()) + " ms after FAILOVER"))
                    .thenApply(done -> "now a replica of " + host + ":" + port + ": FAILOVER took " + elapsedMs(start) + " ms");
        });
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
