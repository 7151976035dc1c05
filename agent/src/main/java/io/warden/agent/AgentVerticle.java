package io.warden.agent;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.warden.agent.actions.ActionExecutor;
import io.warden.agent.actions.EpochFence;
import io.warden.agent.api.AgentApi;
import io.warden.agent.api.InstructionEndpoint;
import io.warden.agent.api.SnapshotEndpoint;
import io.warden.agent.failover.ChangeReporter;
import io.warden.agent.failover.MasterLease;
import io.warden.agent.failover.StartGuardState;
import io.warden.agent.failover.StartRoleFile;
import io.warden.agent.failover.WriteFence;
import io.warden.agent.health.Readiness;
import io.warden.agent.heartbeat.DataAtStart;
import io.warden.agent.heartbeat.Heartbeat;
import io.warden.agent.lifecycle.CoordinatorSwitchover;
import io.warden.agent.lifecycle.Drain;
import io.warden.agent.lifecycle.PreStop;
import io.warden.agent.lifecycle.PreStopEndpoint;
import io.warden.agent.memory.MemoryGuard;
import io.warden.agent.metrics.AgentMetrics;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObserver;
import io.warden.agent.snapshot.SnapshotJob;
import io.warden.agent.snapshot.SnapshotService;
import io.warden.common.config.ConfigException;
import io.warden.common.http.BearerAuth;
import io.warden.common.wire.InstructionResult;

import java.net.BindException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The agent: observes its Redis on a tick and serves the probes and metrics from what it saw.
 * <ol>
 *   <li>Start the observation loop and the HTTP server together (probes answer while Redis still starts).</li>
 *   <li>When a coordinator is configured, heartbeat to it; carry out the instructions it pushes, refusing
 *       any from an epoch older than the newest seen.</li>
 *   <li>Failover: report at once when Redis dies or its role or link changes; in replication mode pause a master's
 *       writes while it holds no master lease; keep the role Redis must restart in (see {@code failover}).</li>
 *   <li>Credentials Redis rejects before it was ever seen up are a configuration error: start fails, or,
 *       when Redis comes up later, {@code fatal} is told, with one line naming the variable.</li>
 * </ol>
 */
public final class AgentVerticle extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(AgentVerticle.class.getName());
    /** Instructions are a few hundred bytes; anything far larger is not one. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final AgentConfig config;
    private final Clock clock;
    private final Consumer<ConfigException> fatal;
    /** Set by preStop: /ready answers 503 and heartbeats say so while the pod shuts down. */
    private final Drain drain = new Drain();
    private ClientResources resources;
    private RedisNode node;
    private RedisObserver observer;
    private AgentMetrics metrics;
    private HttpServer server;
    private Heartbeat heartbeat;
    private SnapshotService snapshots;
    private long snapshotTimer = -1;
    private Optional<CoordinatorSwitchover> switchovers = Optional.empty();
    private final EpochFence fence = new EpochFence();
    private final AtomicReference<InstructionResult> lastResult = new AtomicReference<>();
    /** Instructions carried out so far: numbers results, and stamps observations as they begin. */
    private final AtomicLong applied = new AtomicLong();
    /** Replication mode: the master lease heartbeat answers grant, and the fence that pauses writes without it. */
    private final MasterLease lease = new MasterLease(System::nanoTime);
    private WriteFence writeFence;

    public AgentVerticle(AgentConfig config, Clock clock, Consumer<ConfigException> fatal) {
        this.config = config;
        this.clock = clock;
        this.fatal = fatal;
    }

    @Override
    public Future<?> start() {
        // Lettuce's smallest pools: the agent talks to one Redis (and a replica's master); threads cost memory.
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        node = new RedisNode(config.redis(), resources, clock);
        observer = new RedisObserver(vertx, context, node, config.observeInterval(), clock, applied::get);
        metrics = new AgentMetrics(observer::latest);
        observer.onObservation(metrics);
        observer.onObservation(new MemoryGuard(config.memoryGuard(), node));
        observer.onObservation(this::refuseRejectedCredentials);
        // A dropped connection is the first sign of a dead Redis: look again now rather than at the next tick. Only
        // after a look that found it up: a connection Redis refuses (bad credentials) drops every time, and must not loop.
        node.onDisconnect(() -> {
            if (observer.latest().up()) {
                observer.tickNow();
            }
        });
        config.coordinator().url().ifPresent(url -> {
            writeFence = new WriteFence(vertx, node, lease, observer::latest);
            observer.onObservation(writeFence::check);
            observer.onObservation(new ChangeReporter(this::beatNow));
        });
        config.identity().dataDir().ifPresent(dir -> observer.onObservation(new StartRoleFile(dir, config.redis().password())));
        // A coordinator answers every heartbeat: ten missed in a row mean there is none to decide for a restarted master.
        StartGuardState startGuard = new StartGuardState(node, Optional.of(new StartGuardState.LocalFallback(
                config.coordinator().heartbeat().multipliedBy(10), period -> heartbeat == null || heartbeat.silentFor(period),
                this::reportLocalAction)));
        observer.onObservation(startGuard);
        observer.onObservation(drain::observe);

        Readiness.Limits limits = new Readiness.Limits(
                config.observeInterval().multipliedBy(3).plus(config.redis().commandTimeout().multipliedBy(3)),
                config.readyMaxLagBytes());
        AgentApi api = new AgentApi(vertx, observer, node, metrics.registry(), limits, drain::draining, clock);
        Router router = api.router();
        // Before the token check: the kubelet sends the preStop httpGet and cannot read a Secret into its headers.
        // Open is safe enough: preStop only drains this pod and hands its master role over losslessly, and the
        // NetworkPolicy admits only the coordinator and Prometheus (the kubelet comes from the node) to this port.
        router.get("/v1/lifecycle/prestop").handler(new PreStopEndpoint(preStop()));
        router.route("/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(new BearerAuth(config.coordinator().token()));
        DataAtStart dataAtStart = new DataAtStart(config.identity().dataDir());
        ActionExecutor actions = new ActionExecutor(node, fence::newest, startGuard, dataAtStart::dropped);
        observer.onObservation(rehearsalOnce(actions));
        router.post("/v1/instructions").handler(new InstructionEndpoint(fence, actions, lastResult, applied,
                () -> observer.tickNow().onComplete(fresh -> beatNow())));
        snapshots = new SnapshotService(config.snapshots(), config.identity().dataDir(), node, observer::latest,
                config.identity().name(), clock, metrics.registry());
        new SnapshotEndpoint(vertx, snapshots).install(router);
        if (config.snapshots().interval().isPresent()) {
            snapshotTimer = vertx.setPeriodic(1000, id -> snapshots.tick());
        }
        Future<HttpServer> listening = vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort()))
                .requestHandler(router)
                .listen()
                .recover(failure -> Future.failedFuture(bindError(failure)));
        Future<RedisObservation> firstLook = observer.start();
        return Future.all(listening, firstLook).compose(both -> {
            server = listening.result();
            RedisObservation first = firstLook.result();
            if (first.reachability().state() == Reachability.State.AUTH_FAILED) {
                return Future.failedFuture(credentialsError(first));
            }
            LOG.info("agent " + config.identity().name() + " serving on " + config.httpHost() + ":" + server.actualPort()
                    + " for redis at " + config.redis().address());
            config.coordinator().url().ifPresent(url -> {
                heartbeat = new Heartbeat(vertx, config, observer, fence, lastResult, observer::latestStamp, lease, writeFence::fenced,
                        drain::draining, actions::movingSlotsSince, dataAtStart);
                heartbeat.reportSnapshots(() -> snapshots.running().map(SnapshotJob::id).orElse(""));
                heartbeat.reportStartGuard(startGuard::guarded);
                heartbeat.start();
            });
            return Future.succeededFuture();
        });
    }

    /** The first time Redis answers as a cluster node, the migration path is rehearsed, once per agent. */
    private static Consumer<RedisObservation> rehearsalOnce(ActionExecutor actions) {
        AtomicBoolean started = new AtomicBoolean();
        return observation -> {
            if (observation.cluster().isPresent() && started.compareAndSet(false, true)) {
                actions.rehearseMigration();
            }
        };
    }

    private PreStop preStop() {
        switchovers = config.coordinator().url()
                .map(url -> new CoordinatorSwitchover(vertx, url, config.coordinator().token(), config.identity().name()));
        PreStop.Parts parts = new PreStop.Parts(vertx, observer, node, drain, this::beatNow, switchovers, this::reportLocalAction);
        return new PreStop(parts, config.preStopTimeout(), config.identity().name());
    }

    /**
     * A role change made without the coordinator (a preStop handover, a restarted master's decision) is reported as the
     * last result, so the coordinator hears of it when back.
     */
    private void reportLocalAction(String sentence) {
        lastResult.set(new InstructionResult(PreStop.LOCAL_HANDOVER_ID_PREFIX + clock.millis(), true, sentence).numbered(applied.incrementAndGet()));
        beatNow();
    }

    private void beatNow() {
        if (heartbeat != null) {
            heartbeat.beatNow();
        }
    }

    /** The port the HTTP server listens on (useful when configured as 0). */
    public int httpPort() {
        return server.actualPort();
    }

    /** The snapshot capability (tests drive its schedule). */
    public SnapshotService snapshots() {
        return snapshots;
    }

    /** The newest coordinator epoch this agent has seen. */
    public long epochSeen() {
        return fence.newest();
    }

    @Override
    public Future<?> stop() {
        if (heartbeat != null) {
            heartbeat.stop();
        }
        switchovers.ifPresent(CoordinatorSwitchover::close);
        if (observer != null) {
            observer.stop();
        }
        if (snapshotTimer >= 0) {
            vertx.cancelTimer(snapshotTimer);
        }
        // Off the event loop: a snapshot in progress may take a moment to notice it is stopped.
        Future<Void> snapshotsClosed = snapshots == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            snapshots.close();
            return null;
        });
        Future<Void> closed = (server == null ? Future.<Void>succeededFuture() : server.close()).compose(done -> snapshotsClosed);
        return closed.andThen(done -> {
            node.close();
            metrics.close();
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        });
    }

    private void refuseRejectedCredentials(RedisObservation observation) {
        if (observation.reachability().state() == Reachability.State.AUTH_FAILED && !observer.everUp() && server != null) {
            fatal.accept(credentialsError(observation));
        }
    }

    private ConfigException credentialsError(RedisObservation observation) {
        String hint = config.redis().password().isPresent()
                ? "check WARDEN_REDIS_PASSWORD (or the file WARDEN_REDIS_PASSWORD_FILE names)"
                : "set WARDEN_REDIS_PASSWORD or WARDEN_REDIS_PASSWORD_FILE";
        return new ConfigException("WARDEN_REDIS_PASSWORD", "redis at " + config.redis().address() + " "
                + observation.reachability().detail().replaceFirst("^redis ", "") + "; " + hint);
    }

    private Throwable bindError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return new ConfigException("WARDEN_HTTP_PORT", "cannot listen on " + config.httpHost() + ":" + config.httpPort()
                        + " (" + t.getMessage() + ")");
            }
        }
        return failure;
    }
}
