package io.warden.coordinator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.warden.common.http.BearerAuth;
import io.warden.common.http.MetricsEndpoint;
import io.warden.common.http.Responses;
import io.warden.common.wire.AgentReport;
import io.warden.common.wire.BadInput;
import io.warden.common.wire.HeartbeatReply;
import io.warden.common.wire.InstructionResult;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.Leadership;
import io.warden.coordinator.execute.Reconciler;
import io.warden.coordinator.registry.AgentRegistry;
import io.warden.coordinator.snapshot.SnapshotRoutes;
import io.warden.coordinator.switchover.Switchovers;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.scale.Scaler;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Migrations;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyReport;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The coordinator's HTTP API (DESIGN.md, "Coordinator HTTP API"). Probes and metrics answer on every
 * replica; {@code /v1/*} needs the token when one is set, and on a follower is forwarded to the leader.
 */
public final class CoordinatorApi {

    private static final Logger LOG = Logger.getLogger(CoordinatorApi.class.getName());

    /** A report of a large cluster's CLUSTER NODES runs to a few hundred KiB; far more is not a report. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /**
     * How long a topology read waits for a handover's new master to report. A handover whose replica is still catching
     * up holds writes for up to its own limit; a read answers meanwhile with the master the reports name.
     */
    private static final Duration PROMOTION_WAIT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final LeaderElection election;
    private final AgentRegistry registry;
    private final Reconciler reconciler;
    private final Scaler scaler;
    private final PrometheusMeterRegistry metrics;
    private final Optional<String> token;
    private final String identity;
    private final Clock clock;
    private final Duration masterLease;
    private final Switchovers switchovers;

    /**
     * @param masterLease the lease a replication-mode master gets with each heartbeat answer (zero: never)
     * @param switchovers runs planned switchovers, one per shard at a time
     */
    public CoordinatorApi(Vertx vertx, LeaderElection election, AgentRegistry registry, Reconciler reconciler, Scaler scaler,
                          PrometheusMeterRegistry metrics, Optional<String> token, String identity, Clock clock,
                          Duration masterLease, Switchovers switchovers) {
        this.masterLease = masterLease;
        this.switchovers = switchovers;
        this.vertx = vertx;
        this.election = election;
        this.registry = registry;
        this.reconciler = reconciler;
        this.scaler = scaler;
        this.metrics = metrics;
        this.token = token;
        this.identity = identity;
        this.clock = clock;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.get("/ready").handler(this::ready);
        router.get("/metrics").handler(new MetricsEndpoint(metrics));
        router.route("/v1/*")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
                .handler(new BearerAuth(token))
                .handler(new LeaderForwarder(vertx, election, identity));
        router.put("/v1/agents/:name").handler(this::heartbeat);
        router.get("/v1/topology").handler(this::topology);
        new SnapshotRoutes(vertx, this::document, registry, token).install(router);
        router.post("/v1/shards/:id/switchover").handler(new SwitchoverEndpoint(switchovers));
        router.post("/v1/scale").handler(new ScaleEndpoint(vertx, scaler, reconciler::view, reconciler::nudge));
        Responses.installErrorHandlers(router);
        return router;
    }

    private void health(RoutingContext ctx) {
        boolean ticking = reconciler.ticking();
        Responses.json(ctx, ticking ? 200 : 503, new JsonObject().put("status", ticking ? "up" : "stalled"));
    }

    /** Ready once it can serve: it leads, or knows who does to forward to. */
    private void ready(RoutingContext ctx) {
        Leadership leadership = election.current();
        boolean ready = leadership.leading() || !leadership.leaderUrl().isEmpty();
        JsonObject body = new JsonObject().put("ready", ready).put("leading", leadership.leading())
                .put("leader", leadership.leaderName()).put("epoch", leadership.epoch());
        if (!ready) {
            body.put("reasons", new io.vertx.core.json.JsonArray().add("no leader is elected yet"));
        }
        Responses.json(ctx, ready ? 200 : 503, body);
    }

    private void heartbeat(RoutingContext ctx) {
        AgentReport report;
        try {
            report = WireJson.decode(ctx.body().asString(), AgentReport.class);
            requireText("name", report.name());
            requireText("redisAddress", report.redisAddress());
            requireText("agentUrl", report.agentUrl());
            requireText("role", report.role());
            if (!report.name().equals(ctx.pathParam("name"))) {
                throw new BadInput("field 'name': \"" + report.name() + "\" does not match the path's agent name \"" + ctx.pathParam("name") + "\"");
            }
            if (!report.redisAddress().matches(".+:\\d{1,5}")) {
                throw new BadInput("field 'redisAddress': expected host:port, got \"" + report.redisAddress() + "\"");
            }
        } catch (BadInput e) {
            Responses.error(ctx, 400, e.getMessage());
            return;
        }
        Optional<AgentReport> before = registry.get(report.name()).map(AgentRegistry.Registered::report);
        InstructionResult previous = before.map(AgentReport::lastResult).orElse(null);
        String held = registry.record(report, clock.instant());
        switchovers.promotions().reported(report);
        before.filter(b -> !b.role().equals(report.role())).ifPresent(b -> LOG.info(report.name() + " reports " + report.role() + " (was " + b.role() + ")"));
        if (report.redisGone() && !before.map(AgentReport::redisGone).orElse(false)) {
            reconciler.nudge(); // a Redis process just died: plan its failover now, not at the next tick
        }
        noteLocalAction(report, previous);
        Leadership leadership = election.current();
        Long lease = "master".equals(report.role()) && !masterLease.isZero() && reconciler.grantsMasterLease(report.name())
                ? masterLease.toMillis() : null;
        Responses.json(ctx, 200, new JsonObject(WireJson.encode(new HeartbeatReply(leadership.epoch(), leadership.leaderName(), held, lease,
                scaler.desired().mode() == Mode.REPLICATION ? scaler.desired().replicas() : null))));
    }

    /** An agent acted on its own while no coordinator answered (a preStop handover): the history says so once. */
    private void noteLocalAction(AgentReport report, InstructionResult previous) {
        InstructionResult result = report.lastResult();
        if (result != null && result.local() && (previous == null || !result.id().equals(previous.id()))) {
            reconciler.note(report.name() + " reports: " + result.message());
        }
    }

    /**
     * Built on a worker: its cost grows with the cluster, and heartbeats must not wait behind it. During a
     * replication-mode handover it is built once the new master has reported (bounded, see {@link PendingPromotions}).
     */
    private void topology(RoutingContext ctx) {
        switchovers.promotions().settled(PROMOTION_WAIT)
                .compose(settled -> vertx.executeBlocking(() -> WireJson.encode(document()), false)).onComplete(built -> {
            if (built.succeeded()) {
                ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store").end(built.result());
            } else {
                ctx.fail(built.cause());
            }
        });
    }

    /** The topology as of now. */
    public TopologyDocument document() {
        Leadership leadership = election.current();
        ClusterView view = reconciler.view();
        return TopologyReport.build(view, scaler.desired(), leadership.epoch(), leadership.leaderName(),
                reconciler.lastPlan().problems(), reconciler.history()).withScale(Migrations.of(view), scaler.status(view));
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadInput("field '" + field + "': expected a non-empty string");
        }
    }
}
