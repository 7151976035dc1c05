package io.warden.agent.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObserver;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.ReplicaLink;
import io.warden.common.redis.Role;
import io.warden.common.wire.InstructionResult;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What the Redis container's preStop hook waits for: that stopping this Redis loses nothing.
 * <ol>
 *   <li>Drain at once: {@code /ready} turns 503 and the next heartbeat says so.</li>
 *   <li>A replica, a master without an online replica, or a Redis that does not answer: nothing to do.</li>
 *   <li>A master with a replica: ask the coordinator to switch its shard over, and wait until this node is no
 *       longer master. A coordinator that answers but refuses (busy, a replica still catching up) is asked again
 *       every {@link #RETRY} while time remains; the last refusal is the reason given on time-out.</li>
 *   <li>No coordinator configured, or none answering: hand over locally ({@link LocalHandover}) and remember it,
 *       so the next heartbeat tells the coordinator when it is back.</li>
 *   <li>Whatever happens, answer within {@code WARDEN_PRESTOP_TIMEOUT}: the pod's grace period is running.</li>
 * </ol>
 * Everything runs on the agent's context without blocking it; a second call while one runs gets the same answer.
 */
public final class PreStop {

    private static final Logger LOG = Logger.getLogger(PreStop.class.getName());
    static final Duration RETRY = Duration.ofMillis(500);
    /** The id of the result that reports a local handover; the coordinator records such results in its history. */
    public static final String LOCAL_HANDOVER_ID_PREFIX = InstructionResult.LOCAL_PREFIX + "handover-";
    private static final long POLL_MS = 50;
    /** Time kept back from the coordinator's answer, so a local handover can still run if it never comes. */
    private static final Duration LOCAL_RESERVE = Duration.ofSeconds(10);

    /** The answer DESIGN.md gives {@code GET /v1/lifecycle/prestop}, with a sentence saying why. */
    public record Outcome(String action, long durationMs, String detail) {

        static final String SWITCHED_OVER = "switched-over";
        static final String NOTHING_TO_DO = "nothing-to-do";
        static final String TIMED_OUT = "timed-out";
    }

    /** What preStop works with; {@code coordinator} is empty when the agent runs without one. */
    public record Parts(Vertx vertx, RedisObserver observer, RedisNode node, Drain drain, Runnable beatNow,
                        Optional<CoordinatorSwitchover> coordinator, Consumer<String> reportLocalHandover) {
    }

    private final Parts parts;
    private final Duration timeout;
    private final String name;
    private Future<Outcome> running;

    public PreStop(Parts parts, Duration timeout, String name) {
        this.parts = parts;
        this.timeout = timeout;
        this.name = name;
    }

    /** Runs preStop, or joins the run under way. Call on the agent's context. */
    public Future<Outcome> run() {
        if (running == null) {
            Run run = new Run(System.nanoTime());
            running = run.start().andThen(done -> running = null);
        }
        return running;
    }

    /** One preStop, from its start to its answer. */
    private final class Run {
        private final long start;
        private final long deadline;

        Run(long start) {
            this.start = start;
            this.deadline = start + timeout.toNanos();
        }

        Future<Outcome> start() {
            parts.drain().begin(parts.observer().latest());
            parts.beatNow().run();
            return parts.observer().tickNow().compose(fresh -> {
                Optional<String> nothing = nothingToDo(parts.observer().latest());
                if (nothing.isPresent()) {
                    return done(Outcome.NOTHING_TO_DO, nothing.get());
                }
                return parts.coordinator().isPresent() ? askCoordinator() : local("no coordinator is configured");
            });
        }

        private Future<Outcome> askCoordinator() {
            Duration patience = remaining().minus(LOCAL_RESERVE);
            long watch = watchForDemotion();
            return parts.coordinator().get().request(patience.isNegative() ? Duration.ofSeconds(1) : patience)
                    .andThen(done -> parts.vertx().cancelTimer(watch))
                    .compose(answer -> switch (answer.kind()) {
                case SWITCHED -> awaitNotMaster(answer.detail());
                case UNREACHABLE -> local("the coordinator did not answer (" + answer.detail() + ")");
                case REFUSED -> askAgainLater(answer.detail());
            });
        }

        /**
         * While the coordinator works, looks at Redis often and reports the moment this node is no longer master: the
         * coordinator confirms a switchover from the reports, and need not wait out an observation interval for ours.
         */
        private long watchForDemotion() {
            boolean[] reported = {false};
            return parts.vertx().setPeriodic(POLL_MS, id -> parts.observer().tickNow().onSuccess(fresh -> {
                RedisObservation now = parts.observer().latest();
                if (!reported[0] && now.up() && now.role().orElse(Role.MASTER) != Role.MASTER) {
                    reported[0] = true;
                    parts.beatNow().run();
                }
            }));
        }

        private Future<Outcome> askAgainLater(String refusal) {
            if (remaining().compareTo(RETRY) <= 0) {
                return done(Outcome.TIMED_OUT, "still master after " + timeout.toMillis() + " ms; the coordinator's last answer: " + refusal);
            }
            return later(RETRY).compose(v -> parts.observer().tickNow()).compose(fresh -> {
                RedisObservation now = parts.observer().latest();
                if (now.up() && now.role().orElse(Role.MASTER) != Role.MASTER) {
                    return done(Outcome.SWITCHED_OVER, "no longer master");
                }
                Optional<String> nothing = nothingToDo(now);
                return nothing.isPresent() ? done(Outcome.NOTHING_TO_DO, nothing.get()) : askCoordinator();
            });
        }

        private Future<Outcome> local(String why) {
            LOG.warning("preStop: " + why + "; handing over locally");
            boolean cluster = parts.observer().latest().info().map(RedisInfo::clusterEnabled).orElse(false);
            return Future.fromCompletionStage(new LocalHandover(parts.node()).run(cluster), parts.vertx().getOrCreateContext())
                    .compose(handedOver -> {
                        parts.reportLocalHandover().accept("preStop handed over locally because " + why + ": " + handedOver);
                        return awaitNotMaster(handedOver);
                    }, failure -> done(Outcome.TIMED_OUT, "local handover failed: " + failure.getMessage()));
        }

        /** Polls this node's role until it is no longer master, or the time is up. */
        private Future<Outcome> awaitNotMaster(String how) {
            return parts.observer().tickNow().compose(fresh -> {
                RedisObservation now = parts.observer().latest();
                if (now.up() && now.role().orElse(Role.MASTER) != Role.MASTER) {
                    return done(Outcome.SWITCHED_OVER, how);
                }
                if (remaining().isZero()) {
                    return done(Outcome.TIMED_OUT, "still master after " + timeout.toMillis() + " ms (" + how + ")");
                }
                return later(Duration.ofMillis(POLL_MS)).compose(v -> awaitNotMaster(how));
            });
        }

        private Future<Outcome> done(String action, String detail) {
            Outcome outcome = new Outcome(action, Duration.ofNanos(System.nanoTime() - start).toMillis(), detail);
            LOG.info("preStop of " + name + ": " + action + " in " + outcome.durationMs() + " ms: " + detail);
            return Future.succeededFuture(outcome);
        }

        private Duration remaining() {
            long left = deadline - System.nanoTime();
            return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
        }

        private Future<Void> later(Duration delay) {
            Promise<Void> promise = Promise.promise();
            parts.vertx().setTimer(Math.max(1, Math.min(delay.toMillis(), remaining().toMillis())), id -> promise.complete());
            return promise.future();
        }
    }

    /** Why stopping this Redis needs no handover, if it does not. */
    static Optional<String> nothingToDo(RedisObservation observation) {
        if (!observation.up()) {
            return Optional.of("redis is not answering (" + observation.reachability().detail() + "); nothing to hand over");
        }
        RedisInfo info = observation.info().orElseThrow();
        if (info.role() != Role.MASTER) {
            return Optional.of("a replica: nothing to hand over");
        }
        if (info.replicas().stream().noneMatch(ReplicaLink::online)) {
            return Optional.of("a master without an online replica: nothing to hand over to");
        }
        return Optional.empty();
    }
}
