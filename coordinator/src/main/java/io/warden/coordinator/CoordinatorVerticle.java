package io.warden.coordinator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.warden.common.config.ConfigException;
import io.warden.coordinator.api.CoordinatorApi;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.execute.Executor;
import io.warden.coordinator.execute.Reconciler;
import io.warden.coordinator.registry.AgentRegistry;
import io.warden.coordinator.switchover.Switchovers;
import io.warden.coordinator.scale.ScaleSupport;
import io.warden.coordinator.scale.Scaler;
import io.warden.coordinator.topology.ClusterView;

import java.net.BindException;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The coordinator: serves the API on every replica, and on the leader runs the reconcile loop.
 * <ol>
 *   <li>Listen (probes answer at once), then start the election (off the event loop, in its adapter).</li>
 *   <li>Tick the reconciler, which acts only while this replica leads.</li>
 * </ol>
 */
public final class CoordinatorVerticle extends VerticleBase {

    private static final Logger LOG = Logger.getLogger(CoordinatorVerticle.class.getName());

    private final CoordinatorConfig config;
    private final LeaderElection election;
    private final Clock clock;
    private final Consumer<ClusterView> afterTick;
    private final ScaleSupport scaling;
    private final AgentRegistry registry = new AgentRegistry();
    private Scaler scaler;
    private Executor executor;
    private Reconciler reconciler;
    private CoordinatorMetrics metrics;
    private CoordinatorApi api;
    private HttpServer server;

    /**
     * @param afterTick called with each tick's view while leading (replication mode labels pods from it)
     */
    public CoordinatorVerticle(CoordinatorConfig config, LeaderElection election, Clock clock, Consumer<ClusterView> afterTick) {
        this(config, election, clock, afterTick, ScaleSupport.local(config.election().stateDir()));
    }

    /**
     * @param scaling where a requested shape is stored and where nodes come from (local files and no pool by default)
     */
    public CoordinatorVerticle(CoordinatorConfig config, LeaderElection election, Clock clock, Consumer<ClusterView> afterTick,
                               ScaleSupport scaling) {
        this.config = config;
        this.election = election;
        this.clock = clock;
        this.afterTick = afterTick;
        this.scaling = scaling;
    }

    @Override
    public Future<?> start() {
        metrics = new CoordinatorMetrics(election, registry);
        executor = new Executor(vertx, config.token(), metrics.registry());
        scaler = new Scaler(config.desired(), scaling.store(), scaling.pool(), registry);
        reconciler = new Reconciler(vertx, registry, election, executor, scaler::desired,
                new Reconciler.Timing(config.reconcile(), config.agentFreshness(), config.leaderWarmup()), clock,
                metrics.registry(), afterTick.andThen(scaler), config.failover().policy());
        Switchovers switchovers = new Switchovers(vertx, election, registry, reconciler, executor);
        api = new CoordinatorApi(vertx, election, registry, reconciler, scaler, metrics.registry(), config.token(),
                config.identity(), clock, config.failover().masterLease(), switchovers);
        election.onChange(l -> LOG.info(l.leading() ? "leading, epoch " + l.epoch()
                : l.leaderName().isEmpty() ? "not leading; no leader known" : "following " + l.leaderName() + ", epoch " + l.epoch()));
        return vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort()))
                .requestHandler(api.router())
                .listen()
                .recover(failure -> Future.failedFuture(failure instanceof BindException
                        ? new ConfigException("WARDEN_HTTP_PORT", "cannot listen on " + config.httpHost() + ":" + config.httpPort()
                                + " (" + failure.getMessage() + ")")
                        : failure))
                .compose(listening -> {
                    server = listening;
                    // The Kubernetes election and shape store block on API calls: off the event loop.
                    return vertx.executeBlocking(() -> {
                        scaler.loadStored();
                        election.start();
                        return null;
                    });
                })
                .map(started -> {
                    reconciler.start();
                    LOG.info("coordinator " + config.identity() + " serving on " + config.httpHost() + ":" + server.actualPort()
                            + " (" + scaler.desired().mode().wireName() + ", " + scaler.desired().shards() + " shards x "
                            + scaler.desired().replicas() + " replicas)");
                    return null;
                });
    }

    public int httpPort() {
        return server.actualPort();
    }

    public CoordinatorApi api() {
        return api;
    }

    @Override
    public Future<?> stop() {
        if (reconciler != null) {
            reconciler.stop();
        }
        return vertx.executeBlocking(() -> {
            election.close();
            return null;
        }).andThen(done -> {
            scaler.close();
            executor.close();
            metrics.close();
        });
    }
}
