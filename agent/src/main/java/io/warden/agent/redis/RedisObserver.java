package io.warden.agent.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warden.agent.redis.RedisObservation.Reachability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The agent's tick: read Redis, publish the result as the latest observation, tell the listeners, wait one
 * interval, repeat. Ticks never overlap (the next is scheduled when one ends). The loop's own liveness —
 * "did a tick finish recently?" — is what {@code /live} reports, whatever Redis is doing. Each observation is
 * stamped with a count read as it begins (instructions carried out), so whoever reads it knows which changes
 * it can already show; {@link #tickNow()} asks for a fresh one without waiting out the interval.
 */
public final class RedisObserver {

    private static final Logger LOG = Logger.getLogger(RedisObserver.class.getName());

    private final Vertx vertx;
    private final Context context;
    private final RedisNode node;
    private final Duration interval;
    private final Clock clock;
    private final LongSupplier stamp;
    private final List<Consumer<RedisObservation>> listeners = new CopyOnWriteArrayList<>();
    /** Callers of tickNow() waiting for an observation that begins after they asked (context thread only). */
    private List<Promise<Void>> pending = new ArrayList<>();
    private boolean inFlight;
    private volatile RedisObservation latest;
    private volatile long latestStamp;
    private volatile Instant lastTickEnded;
    private volatile boolean everUp;
    private volatile boolean stopped;
    private long timerId = -1;

    /**
     * @param stamp read as each observation begins; {@link #latestStamp()} gives the value of the latest one
     */
    public RedisObserver(Vertx vertx, Context context, RedisNode node, Duration interval, Clock clock, LongSupplier stamp) {
        this.vertx = vertx;
        this.context = context;
        this.node = node;
        this.interval = interval;
        this.clock = clock;
        this.stamp = stamp;
        this.latest = RedisObservation.none(clock.instant());
        this.lastTickEnded = clock.instant();
    }

    /** Called on the agent's context after every tick, in registration order. */
    public void onObservation(Consumer<RedisObservation> listener) {
        listeners.add(listener);
    }

    /** Runs the first tick now; the returned future completes with its observation, then the loop goes on. */
    public Future<RedisObservation> start() {
        return tick();
    }

    public RedisObservation latest() {
        return latest;
    }

    /** The stamp read when the latest observation began. */
    public long latestStamp() {
        return latestStamp;
    }

    /** Observes again as soon as the tick in flight (if any) ends; completes when an observation begun after this call is out. */
    public Future<Void> tickNow() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            pending.add(done);
            if (!inFlight && !stopped) {
                vertx.cancelTimer(timerId);
                tick();
            }
        });
        return done.future();
    }

    /** Whether Redis has answered at least once since the agent started. */
    public boolean everUp() {
        return everUp;
    }

    /**
     * The loop is alive when a tick ended within three intervals plus the longest a tick may take (three
     * command timeouts, see {@link RedisNode#observe()}).
     */
    public boolean ticking(Duration commandTimeout) {
        Duration allowed = interval.multipliedBy(3).plus(commandTimeout.multipliedBy(3));
        return Duration.between(lastTickEnded, clock.instant()).compareTo(allowed) <= 0;
    }

    public Duration interval() {
        return interval;
    }

    public void stop() {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private Future<RedisObservation> tick() {
        inFlight = true;
        long stampAtStart = stamp.getAsLong();
        List<Promise<Void>> covered = pending;
        pending = new ArrayList<>();
        return Future.fromCompletionStage(node.observe(), context).andThen(result -> {
            inFlight = false;
            latestStamp = stampAtStart;
            if (result.succeeded()) {
                publish(result.result());
            } else {
                // observe() maps every Redis failure to an observation; reaching here is a bug worth a trace.
                LOG.severe("observation failed unexpectedly: " + result.cause());
                publish(RedisObservation.down(clock.instant(), Duration.ZERO,
                        new Reachability(Reachability.State.DOWN, "observation failed: " + result.cause())));
            }
            covered.forEach(Promise::tryComplete);
            if (!stopped) {
                // Someone asked for a fresh look while this one ran: go again at once.
                timerId = vertx.setTimer(pending.isEmpty() ? interval.toMillis() : 1, id -> tick());
            }
        });
    }

    private void publish(RedisObservation observation) {
        RedisObservation previous = latest;
        latest = observation;
        lastTickEnded = clock.instant();
        if (observation.up()) {
            everUp = true;
        }
        logChange(previous, observation);
        for (Consumer<RedisObservation> listener : listeners) {
            try {
                listener.accept(observation);
            } catch (RuntimeException e) {
                LOG.warning("observation listener failed: " + e);
            }
        }
    }

    /** One line per change of reachability or role, so a Redis that stays down does not flood the log. */
    private void logChange(RedisObservation previous, RedisObservation now) {
        Reachability before = previous.reachability();
        Reachability after = now.reachability();
        if (before.state() == after.state() && before.detail().equals(after.detail())) {
            if (previous.up() && now.up() && previous.info().orElseThrow().role() != now.info().orElseThrow().role()) {
                LOG.info("redis at " + node.endpoint().address() + " is now " + now.info().orElseThrow().role().wireName()
                        + " (seen in a look that took " + now.took().toMillis() + " ms)");
            }
            return;
        }
        if (after.state() == Reachability.State.UP) {
            LOG.info("redis at " + node.endpoint().address() + " is up: " + now.info().map(i -> i.role().wireName()
                    + ", version " + i.version()).orElse(""));
        } else {
            LOG.warning("redis at " + node.endpoint().address() + " is " + after.state().name().toLowerCase().replace('_', ' ')
                    + ": " + after.detail());
        }
    }
}
