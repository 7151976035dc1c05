package io.warden.agent.failover;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.vertx.core.Vertx;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.common.redis.RedisInfo;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Carries out {@link FenceDecision} with {@code CLIENT PAUSE <ms> WRITE} / {@code CLIENT UNPAUSE}: paused clients'
 * writes wait (reads go on), so a client that reaches the old master keeps no acknowledgement the new one lacks.
 * Checked after every observation, whenever the lease changes, and the moment it runs out (a timer), so a master
 * stops taking writes when its lease ends, not at the next tick.
 * <p>
 * The pause is renewed on every check while it lasts, for {@link #PAUSE}: if this agent dies, Redis resumes writes
 * after that long rather than never.
 */
public final class WriteFence {

    private static final Logger LOG = Logger.getLogger(WriteFence.class.getName());
    static final Duration PAUSE = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final RedisNode node;
    private final MasterLease lease;
    private final Supplier<RedisObservation> latest;
    private volatile boolean paused;
    private long expiryTimer = -1;

    public WriteFence(Vertx vertx, RedisNode node, MasterLease lease, Supplier<RedisObservation> latest) {
        this.vertx = vertx;
        this.node = node;
        this.lease = lease;
        this.latest = latest;
        lease.onChange(() -> vertx.runOnContext(v -> {
            check(latest.get());
            armExpiry();
        }));
    }

    /** Whether this agent holds its master's writes paused. */
    public boolean fenced() {
        return paused;
    }

    public void check(RedisObservation observation) {
        boolean up = observation.up();
        boolean cluster = observation.info().map(RedisInfo::clusterEnabled).orElse(false);
        FenceDecision decision = FenceDecision.decide(up, cluster, observation.role().orElse(null), lease.coordinatorAnswered(),
                lease.valid(), paused);
        switch (decision) {
            case PAUSE -> {
                // Marked before the answer: a lease granted meanwhile must find something to resume.
                if (!paused) {
                    paused = true;
                    LOG.warning("pausing writes on " + node.endpoint().address() + ": a master without a lease from the coordinator");
                }
                client("PAUSE", Long.toString(PAUSE.toMillis()), "WRITE");
            }
            case RESUME -> {
                String why = observation.role().orElse(null) == io.warden.common.redis.Role.MASTER
                        ? ": the coordinator granted the master lease" : ": no longer a master";
                client("UNPAUSE").whenComplete((ok, failure) -> {
                    if (failure == null && paused) {
                        paused = false;
                        LOG.info("resumed writes on " + node.endpoint().address() + why);
                    }
                });
            }
            case NOTHING -> { }
        }
    }

    private void armExpiry() {
        if (expiryTimer >= 0) {
            vertx.cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
        long remaining = lease.remainingMillis();
        if (remaining > 0) {
            expiryTimer = vertx.setTimer(remaining + 1, id -> {
                expiryTimer = -1;
                check(latest.get());
            });
        }
    }

    private CompletionStage<String> client(String... args) {
        CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            command.add(arg);
        }
        return node.commands().thenCompose(redis -> redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), command));
    }
}
