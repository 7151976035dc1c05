package io.warden.agent.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warden.agent.snapshot.SnapshotJob;
import io.warden.agent.snapshot.SnapshotService;
import io.warden.common.http.Responses;
import io.warden.common.snapshot.StoredSnapshot;
import io.warden.common.wire.WireJson;

import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/snapshots} (body optional: {@code {"shard": "shard-1", "trigger": "coordinator"}}): 202 with the
 * job, 409 naming the snapshot already running, 503 when snapshots are off or the node has no shard yet.
 * {@code GET /v1/snapshots}: the target's snapshots of this deployment with their verdicts, and this agent's jobs.
 * {@code GET /v1/snapshots/:id}: one job of this agent.
 */
public final class SnapshotEndpoint {

    private static final Set<String> TRIGGERS = Set.of("api", "coordinator");

    private final Vertx vertx;
    private final SnapshotService service;

    public SnapshotEndpoint(Vertx vertx, SnapshotService service) {
        this.vertx = vertx;
        this.service = service;
    }

    public void install(Router router) {
        router.post("/v1/snapshots").handler(this::request);
        router.get("/v1/snapshots").handler(this::list);
        router.get("/v1/snapshots/:id").handler(this::job);
    }

    private void request(RoutingContext ctx) {
        JsonObject body;
        try {
            String raw = ctx.body().asString();
            body = raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
        } catch (DecodeException e) {
            Responses.error(ctx, 400, "the body is not a JSON object: " + e.getMessage());
            return;
        }
        Object shard = body.getValue("shard");
        if (shard != null && !(shard instanceof String s && s.matches("[a-z0-9][a-z0-9-]*"))) {
            Responses.error(ctx, 400, "field 'shard': expected a shard id such as shard-0, got " + shard);
            return;
        }
        Object trigger = body.getValue("trigger", "api");
        if (!TRIGGERS.contains(String.valueOf(trigger))) {
            Responses.error(ctx, 400, "field 'trigger': expected one of api, coordinator, got " + trigger);
            return;
        }
        SnapshotService.Outcome outcome = service.request(Optional.ofNullable((String) shard), (String) trigger);
        if (outcome instanceof SnapshotService.Started started) {
            Responses.json(ctx, 202, job(started.job()));
        } else if (outcome instanceof SnapshotService.Busy busy) {
            Responses.json(ctx, 409, new JsonObject()
                    .put("error", "a snapshot is already in progress: " + busy.running().id()).put("id", busy.running().id()));
        } else {
            Responses.error(ctx, 503, ((SnapshotService.Unavailable) outcome).reason());
        }
    }

    private void list(RoutingContext ctx) {
        vertx.executeBlocking(service::stored, false).onComplete(listed -> {
            JsonObject body = new JsonObject()
                    .put("target", service.target().orElse(null))
                    .put("inProgress", service.running().map(SnapshotJob::id).orElse(null))
                    .put("jobs", new JsonArray(service.jobs().stream().map(SnapshotEndpoint::job).toList()));
            if (listed.failed()) {
                Responses.json(ctx, 502, body.put("error", "cannot list the target: " + listed.cause().getMessage()));
                return;
            }
            Responses.json(ctx, 200, body.put("snapshots", new JsonArray(listed.result().stream().map(SnapshotEndpoint::stored).toList())));
        });
    }

    private void job(RoutingContext ctx) {
        service.job(ctx.pathParam("id")).ifPresentOrElse(
                job -> Responses.json(ctx, 200, job(job)),
                () -> Responses.error(ctx, 404, "no snapshot job " + ctx.pathParam("id") + " on this agent (it keeps its latest 20)"));
    }

    static JsonObject job(SnapshotJob job) {
        return new JsonObject(WireJson.encode(job));
    }

    /** One stored snapshot: where, when, how big, and whether it is good (with the manifest when readable). */
    public static JsonObject stored(StoredSnapshot s) {
        JsonObject json = new JsonObject()
                .put("id", s.key().id())
                .put("shard", s.key().shard())
                .put("name", s.key().name())
                .put("time", s.key().time().toString())
                .put("sizeBytes", s.rdbBytes())
                .put("good", s.good());
        s.problem().ifPresent(p -> json.put("problem", p));
        s.manifest().ifPresent(m -> json.put("manifest", new JsonObject(WireJson.encode(m))));
        return json;
    }
}
