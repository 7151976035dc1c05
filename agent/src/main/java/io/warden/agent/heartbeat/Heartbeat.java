package io.warden.agent.heartbeat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.warden.agent.AgentConfig;
import io.warden.agent.actions.EpochFence;
import io.warden.agent.failover.MasterLease;
import io.warden.agent.redis.RedisObserver;
import io.warden.common.http.BearerAuth;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.HeartbeatReply;
import io.warden.common.wire.InstructionResult;
import io.warden.common.wire.WireJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import io.warden.agent.redis.RedisObservation;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Reports this node to the coordinator every heartbeat interval ({@code PUT /v1/agents/{name}}) and learns the
 * coordinator's epoch from each answer. When the coordinator cannot be reached the agent carries on serving
 * probes and metrics and retries, backing off (doubling, up to ten intervals) so a coordinator outage does
 * not become a storm of requests. Each answer renews the master lease or withholds it (replication mode): a master
 * whose agent hears nothing stops taking writes when the lease runs out.
 */
public final class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());
    private static final int MAX_BACKOFF_INTERVALS = 10;

    private final Vertx vertx;
    private final HttpClient http;
    private final AgentConfig config;
    private final RedisObserver observer;
    private final EpochFence fence;
    private final AtomicReference<InstructionResult> lastResult;
    private final DataAtStart dataAtStart;
    private final String url;
    private final LongSupplier appliedThrough;
    private final MasterLease lease;
    private final BooleanSupplier writesFenced;
    private final BooleanSupplier draining;
    private final Predicate<Instant> movingSince;
    private int failures;
    private boolean stopped;
    private boolean inFlight;
    private boolean again;
    /** The digest of our cluster view the coordinator last said it holds. */
    private String coordinatorHolds = "";
    private long timer = -1;
    /** The id of the snapshot in progress, "" when none: reported so the coordinator never asks this node for a second. */
    private Supplier<String> snapshotInProgress = () -> "";
    private BooleanSupplier startGuarded = () -> false;
    /** When the coordinator last answered (the agent's start, before it ever did). */
    private volatile long lastAnswerNanos = System.nanoTime();

    /**
     * @param appliedThrough instructions carried out before the latest observation began (see {@link RedisObserver#latestStamp()})
     */
    public Heartbeat(Vertx vertx, AgentConfig config, RedisObserver observer, EpochFence fence,
                     AtomicReference<InstructionResult> lastResult, LongSupplier appliedThrough) {
        this(vertx, config, observer, fence, lastResult, appliedThrough, new MasterLease(System::nanoTime), () -> false, () -> false,
                since -> false, new DataAtStart(config.identity().dataDir()));
    }

    /**
     * @param lease        renewed (or not) by every answer, from the moment the heartbeat was sent
     * @param writesFenced whether the agent holds its master's writes paused, for the report
     * @param draining     whether the agent is draining for shutdown, reported so the coordinator gives this node no role
     * @param movingSince  whether a slot migration ran on this agent at any time since the given instant (the latest
     *                     observation's start): such a report says so, and the coordinator leaves its open slots alone
     * @param dataAtStart  whether Redis held data when the agent started, as reported
     */
    public Heartbeat(Vertx vertx, AgentConfig config, RedisObserver observer, EpochFence fence,
                     AtomicReference<InstructionResult> lastResult, LongSupplier appliedThrough, MasterLease lease,
                     BooleanSupplier writesFenced, BooleanSupplier draining, Predicate<Instant> movingSince, DataAtStart dataAtStart) {
        this.lease = lease;
        this.writesFenced = writesFenced;
        this.draining = draining;
        this.movingSince = movingSince;
        this.appliedThrough = appliedThrough;
        this.vertx = vertx;
        this.config = config;
        this.observer = observer;
        this.fence = fence;
        this.lastResult = lastResult;
        this.dataAtStart = dataAtStart;
        this.url = config.coordinator().url().orElseThrow() + "/v1/agents/"
                + URLEncoder.encode(config.identity().name(), StandardCharsets.UTF_8);
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.coordinator().heartbeat().toMillis())
                .setKeepAlive(true));
    }

    public void reportSnapshots(Supplier<String> inProgress) {
        this.snapshotInProgress = inProgress;
    }

    /** Whether Redis is held by its start guard now (cluster mode, see {@code StartGuard}). */
    public void reportStartGuard(BooleanSupplier guarded) {
        this.startGuarded = guarded;
    }

    public void start() {
        beat();
    }

    /** Whether the coordinator has not answered a heartbeat for longer than {@code period}. */
    public boolean silentFor(Duration period) {
        return System.nanoTime() - lastAnswerNanos > period.toNanos();
    }

    /** Reports now (after the beat in flight, if any): the coordinator is waiting to see what an action changed. */
    public void beatNow() {
        if (stopped) {
            return;
        }
        if (inFlight) {
            again = true;
            return;
        }
        vertx.cancelTimer(timer);
        beat();
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        http.close();
    }

    private void beat() {
        inFlight = true;
        RedisObservation seen = observer.latest();
        AgentReport report = ReportBuilder.report(config.identity(), seen, dataAtStart.value(seen),
                fence.newest(), lastResult.get(), appliedThrough.getAsLong(), coordinatorHolds, writesFenced.getAsBoolean(), draining.getAsBoolean())
                .withSnapshotInProgress(snapshotInProgress.get())
                .withMovingSlots(movingSince.test(seen.at().minus(seen.took())))
                .withStartGuarded(seen.up() && startGuarded.getAsBoolean());
        long sentAt = System.nanoTime();
        send(report).onComplete(result -> {
            inFlight = false;
            if (result.succeeded()) {
                lastAnswerNanos = System.nanoTime();
                fence.observe(result.result().epoch());
                lease.answered(sentAt, result.result().leaseMs(), result.result().replicasOfShard());
                coordinatorHolds = result.result().clusterViewHash() == null ? "" : result.result().clusterViewHash();
                if (failures > 0) {
                    LOG.info("coordinator at " + config.coordinator().url().orElseThrow() + " is reachable again (epoch "
                            + result.result().epoch() + ")");
                }
                failures = 0;
            } else {
                coordinatorHolds = "";
                if (failures == 0) {
                    LOG.warning("cannot reach the coordinator at " + url + ": " + result.cause().getMessage()
                            + "; retrying with backoff, still serving probes and metrics");
                }
                failures++;
            }
            if (!stopped) {
                timer = vertx.setTimer(again && failures == 0 ? 1 : nextDelay().toMillis(), id -> beat());
                again = false;
            }
        });
    }

    Duration nextDelay() {
        Duration interval = config.coordinator().heartbeat();
        return interval.multipliedBy(Math.min(1L << Math.min(failures, 10), MAX_BACKOFF_INTERVALS));
    }

    private Future<HeartbeatReply> send(AgentReport report) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(url)
                .setIdleTimeout(Math.max(1000, config.coordinator().heartbeat().toMillis() * 2))
                .putHeader("Content-Type", "application/json");
        BearerAuth.header(config.coordinator().token()).ifPresent(h -> options.putHeader("Authorization", h));
        return http.request(options)
                .compose(request -> request.send(Buffer.buffer(WireJson.encode(report))))
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(WireJson.decode(body.toString(), HeartbeatReply.class))
                        : Future.failedFuture("answered " + response.statusCode() + ": " + body)));
    }
}
