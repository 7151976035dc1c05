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
 * Carries out {@link FenceDecision}. Checked after every observation, whenever the lease changes, and the moment it
 * runs out (a timer), so a master changes how it takes writes when its lease ends, not at the next tick.
 * <ul>
 *   <li>{@code REPLICAS_REQUIRED}: {@code CONFIG SET min-replicas-to-write N min-replicas-max-lag 1}. Redis checks it
 *       on every write, so the refusal comes from Redis the instant a replica falls silent, not from this agent's
 *       next look; it stays in force if this agent dies.</li>
 *   <li>{@code PAUSED}: {@code CLIENT PAUSE <ms> WRITE}: paused clients' writes wait (reads go on), renewed on every
 *       check for {@link #PAUSE}, so if this agent dies Redis resumes writes after that long rather than never.</li>
 *   <li>{@code OPEN}: undoes whichever of the two this agent did.</li>
 * </ul>
 */
public final class WriteFence {

    private static final Logger LOG = Logger.getLogger(WriteFence.class.getName());
    static final Duration PAUSE = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final RedisNode node;
    private final MasterLease lease;
    private final Supplier<RedisObservation> latest;
    private volatile boolean paused;
    /** The min-replicas-to-write this agent set, -1 when it set none. */
    private volatile int requiredReplicas = -1;
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

    /** Whether this agent restricts its master's writes: paused, or allowed only while every replica acknowledges. */
    public boolean fenced() {
        return paused || requiredReplicas >= 0;
    }

    public void check(RedisObservation observation) {
        boolean up = observation.up();
        boolean cluster = observation.info().map(RedisInfo::clusterEnabled).orElse(false);
        FenceDecision decision = FenceDecision.decide(up, cluster, observation.role().orElse(null), lease.coordinatorAnswered(),
                lease.valid(), lease.shardReplicas());
        switch (decision) {
            case PAUSED -> pause();
            case REPLICAS_REQUIRED -> {
                requireReplicas(lease.shardReplicas());
                resume("writes need every replica of the shard to acknowledge instead");
            }
            case OPEN -> {
                String why = observation.role().orElse(null) == io.warden.common.redis.Role.MASTER
                        ? "the coordinator granted the master lease" : "no longer a master";
                resume(why);
                requireReplicas(-1);
            }
            case AS_IT_IS -> { }
        }
    }

    private void pause() {
        // Marked before the answer: a lease granted meanwhile must find something to resume.
        if (!paused) {
            paused = true;
            LOG.warning("pausing writes on " + node.endpoint().address() + ": a master without a lease from the coordinator");
        }
        client("PAUSE", Long.toString(PAUSE.toMillis()), "WRITE");
    }

    private void resume(String why) {
        if (!paused) {
            return;
        }
        client("UNPAUSE").whenComplete((ok, failure) -> {
            if (failure == null && paused) {
                paused = false;
                LOG.info("resumed writes on " + node.endpoint().address() + ": " + why);
            }
        });
    }

    /** Sets min-replicas-to-write to {@code replicas}, or back to 0 when {@code replicas} is -1 and this agent set it. */
    private void requireReplicas(int replicas) {
        if (replicas == requiredReplicas) {
            return;
        }
        int previous = requiredReplicas;
        requiredReplicas = replicas;
        config("min-replicas-to-write", Integer.toString(Math.max(replicas, 0)), "min-replicas-max-lag", "1")
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        requiredReplicas = previous; // try again at the next check
                        LOG.warning("could not set min-replicas-to-write on " + node.endpoint().address() + ": " + failure.getMessage());
                    } else if (replicas >= 0) {
                        LOG.warning("no master lease from the coordinator: " + node.endpoint().address() + " takes writes only while "
                                + replicas + " replica(s) acknowledge within a second");
                    } else {
                        LOG.info("master lease back: " + node.endpoint().address() + " no longer needs replicas to acknowledge writes");
                    }
                });
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
        return dispatch(CommandType.CLIENT, args);
    }

    private CompletionStage<String> config(String... parameters) {
        String[] args = new String[parameters.length + 1];
        args[0] = "SET";
        System.arraycopy(parameters, 0, args, 1, parameters.length);
        return dispatch(CommandType.CONFIG, args);
    }

    private CompletionStage<String> dispatch(CommandType type, String... args) {
        CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            command.add(arg);
        }
        return node.commands().thenCompose(redis -> redis.dispatch(type, new StatusOutput<>(StringCodec.UTF8), command));
    }
}
