package io.warden.agent.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warden.agent.health.Readiness;
import io.warden.agent.redis.RedisNode;
import io.warden.agent.redis.RedisObservation;
import io.warden.agent.redis.RedisObservation.Reachability;
import io.warden.agent.redis.RedisObserver;
import io.warden.common.http.MetricsEndpoint;
import io.warden.common.http.Responses;
import io.warden.common.redis.RedisInfo;
import io.warden.common.redis.Role;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The agent's HTTP endpoints (DESIGN.md, "Agent HTTP API"). Each probe means one thing: {@code /live} the
 * agent's loop, {@code /health} a live PING, {@code /ready} whether Redis serves. All but {@code /health}
 * answer from the latest observation.
 */
public final class AgentApi {

    /** DESIGN.md: /health is 200 when Redis answers PING within 1 s. */
    static final Duration HEALTH_PING_TIMEOUT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final RedisObserver observer;
    private final RedisNode node;
    private final PrometheusMeterRegistry metrics;
    private final Readiness.Limits readinessLimits;
    private final Duration commandTimeout;
    private final BooleanSupplier draining;
    private final Clock clock;

    public AgentApi(Vertx vertx, RedisObserver observer, RedisNode node, PrometheusMeterRegistry metrics,
                    Readiness.Limits readinessLimits, BooleanSupplier draining, Clock clock) {
        this.vertx = vertx;
        this.observer = observer;
        this.node = node;
        this.metrics = metrics;
        this.readinessLimits = readinessLimits;
        this.commandTimeout = node.endpoint().commandTimeout();
        this.draining = draining;
        this.clock = clock;
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get("/live").handler(this::live);
        router.get("/health").handler(this::health);
        router.get("/ready").handler(this::ready);
        router.get("/role").handler(this::role);
        router.get("/master").handler(ctx -> hasRole(ctx, Role.MASTER));
        router.get("/replica").handler(ctx -> hasRole(ctx, Role.REPLICA));
        router.get("/metrics").handler(new MetricsEndpoint(metrics));
        Responses.installErrorHandlers(router);
        return router;
    }

    private void live(RoutingContext ctx) {
        boolean ticking = observer.ticking(commandTimeout);
        Responses.json(ctx, ticking ? 200 : 503, new JsonObject()
                .put("live", ticking)
                .put("lastObservation", observer.latest().at().toString()));
    }

    private void health(RoutingContext ctx) {
        Future.fromCompletionStage(node.ping(HEALTH_PING_TIMEOUT), ctx.vertx().getOrCreateContext())
                .onComplete(result -> {
                    Reachability reachability = result.succeeded() ? result.result()
                            : new Reachability(Reachability.State.DOWN, String.valueOf(result.cause()));
                    boolean alive = reachability.state() == Reachability.State.UP;
                    JsonObject body = new JsonObject()
                            .put("status", alive ? "up" : "down")
                            .put("redis", node.endpoint().address());
                    if (!alive) {
                        body.put("reason", reachability.detail());
                    }
                    Responses.json(ctx, alive ? 200 : 503, body);
                });
    }

    private void ready(RoutingContext ctx) {
        RedisObservation latest = observer.latest();
        Readiness.Verdict verdict = Readiness.evaluate(latest, draining.getAsBoolean(), readinessLimits, clock.instant());
        JsonObject body = new JsonObject().put("ready", verdict.ready());
        if (!verdict.ready()) {
            body.put("reasons", new JsonArray(verdict.reasons()));
        }
        latest.replicaLagBytes().ifPresent(lag -> body.put("lagBytes", lag));
        Responses.json(ctx, verdict.ready() ? 200 : 503, body);
    }

    private void role(RoutingContext ctx) {
        RedisObservation latest = observer.latest();
        if (!latest.up()) {
            Responses.json(ctx, 503, new JsonObject().put("role", "unknown")
                    .put("error", "redis is not answering: " + latest.reachability().detail()));
            return;
        }
        Responses.json(ctx, 200, describe(latest));
    }

    private void hasRole(RoutingContext ctx, Role wanted) {
        RedisObservation latest = observer.latest();
        boolean has = latest.up() && latest.role().orElseThrow() == wanted;
        Responses.json(ctx, has ? 200 : 503, new JsonObject()
                .put("role", latest.role().map(Role::wireName).orElse("unknown")));
    }

    /** The role document: role, offsets, links; what a load balancer or an operator wants to know at once. */
    static JsonObject describe(RedisObservation observation) {
        RedisInfo info = observation.info().orElseThrow();
        JsonObject body = new JsonObject()
                .put("role", info.role().wireName())
                .put("replicationOffset", info.replicationOffset())
                .put("clusterEnabled", info.clusterEnabled())
                .put("observedAt", observation.at().toString());
        observation.nodeId().ifPresent(id -> body.put("nodeId", id));
        if (info.role() == Role.REPLICA) {
            body.put("master", info.masterHost().orElse("") + ":" + info.masterPort().orElse(0))
                    .put("linkUp", info.masterLinkUp());
            observation.replicaLagBytes().ifPresent(lag -> body.put("lagBytes", lag));
        } else {
            JsonArray replicas = new JsonArray();
            info.replicas().forEach(r -> replicas.add(new JsonObject()
                    .put("address", r.ip() + ":" + r.port())
                    .put("state", r.state())
                    .put("offset", r.offset())
                    .put("lagBytes", Math.max(0, info.replicationOffset() - r.offset()))));
            body.put("replicas", replicas);
        }
        return body;
    }
}
