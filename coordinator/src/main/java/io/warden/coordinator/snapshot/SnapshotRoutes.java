package io.warden.coordinator.snapshot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.warden.common.http.BearerAuth;
import io.warden.common.http.Responses;
import io.warden.coordinator.registry.AgentRegistry;
import io.warden.coordinator.topology.TopologyDocument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The coordinator's snapshot endpoints.
 * <ul>
 *   <li>{@code POST /v1/snapshots} (body optional: {@code {"shard": "shard-1"}}): asks one node per shard
 *       ({@link SnapshotSources}) to snapshot; 202 with what each agent answered, 400 for an unknown shard, 409 when
 *       no shard could start one.</li>
 *   <li>{@code GET /v1/snapshots}: the target's snapshots of the deployment, as a reachable agent lists them.</li>
 *   <li>{@code GET /v1/snapshots/:id}: how a snapshot asked for through this coordinator is going.</li>
 * </ul>
 */
public final class SnapshotRoutes {

    private static final long TIMEOUT_MS = 15_000;
    private static final int REMEMBERED = 200;

    private final Supplier<TopologyDocument> topology;
    private final AgentRegistry registry;
    private final Optional<String> token;
    private final HttpClient http;
    /** Snapshot id → the agent taking it, for status questions; the latest few hundred. */
    private final Map<String, String> requested = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public SnapshotRoutes(Vertx vertx, Supplier<TopologyDocument> topology, AgentRegistry registry, Optional<String> token) {
        this.topology = topology;
        this.registry = registry;
        this.token = token;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setKeepAlive(true));
    }

    public void install(Router router) {
        router.post("/v1/snapshots").handler(this::request);
        router.get("/v1/snapshots").handler(this::list);
        router.get("/v1/snapshots/:id").handler(this::status);
    }

    private void request(RoutingContext ctx) {
        Optional<String> shard;
        try {
            String raw = ctx.body().asString();
            JsonObject body = raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
            Object value = body.getValue("shard");
            if (value != null && !(value instanceof String)) {
                Responses.error(ctx, 400, "field 'shard': expected a shard id such as shard-0, got " + value);
                return;
            }
            shard = Optional.ofNullable((String) value);
        } catch (DecodeException e) {
            Responses.error(ctx, 400, "the body is not a JSON object: " + e.getMessage());
            return;
        }
        TopologyDocument doc = topology.get();
        if (shard.isPresent() && doc.shards().stream().noneMatch(s -> s.id().equals(shard.get()))) {
            Responses.error(ctx, 400, "field 'shard': no shard " + shard.get() + "; the shards are "
                    + doc.shards().stream().map(TopologyDocument.Shard::id).collect(Collectors.joining(", ")));
            return;
        }
        Set<String> busy = registry.snapshot().stream().filter(r -> !r.report().snapshotInProgress().isEmpty())
                .map(r -> r.report().name()).collect(Collectors.toSet());
        SnapshotSources.Choice choice = SnapshotSources.choose(doc, shard, busy);
        List<Future<JsonObject>> asked = choice.sources().stream().map(this::ask).toList();
        Future.join(asked).onComplete(done -> {
            JsonArray started = new JsonArray();
            JsonArray problems = new JsonArray(List.copyOf(choice.problems()));
            asked.stream().map(Future::result).forEach(answer -> {
                if (answer.containsKey("id") && "running".equals(answer.getString("state"))) {
                    started.add(answer);
                } else {
                    problems.add(answer.getString("shard") + ": " + answer.getString("error", answer.encode()));
                }
            });
            Responses.json(ctx, started.isEmpty() ? 409 : 202, new JsonObject().put("snapshots", started).put("problems", problems));
        });
    }

    private Future<JsonObject> ask(SnapshotSources.Source source) {
        String body = new JsonObject().put("shard", source.shard()).put("trigger", "coordinator").encode();
        return call(HttpMethod.POST, source.agentUrl() + "/v1/snapshots", body).map(answer -> {
            answer.put("shard", source.shard()).put("node", source.node()).put("role", source.role()).put("agent", source.agentUrl());
            if (answer.containsKey("id") && "running".equals(answer.getString("state"))) {
                synchronized (requested) {
                    requested.put(answer.getString("id"), source.agentUrl());
                }
            }
            return answer;
        }).otherwise(failure -> new JsonObject().put("shard", source.shard()).put("node", source.node())
                .put("error", "agent " + source.agentUrl() + " unreachable: " + failure.getMessage()));
    }

    private void list(RoutingContext ctx) {
        List<String> agents = topology.get().shards().stream()
                .flatMap(s -> java.util.stream.Stream.concat(java.util.stream.Stream.of(s.master()), s.replicas().stream()))
                .filter(m -> "ok".equals(m.state())).map(TopologyDocument.Member::agent).toList();
        if (agents.isEmpty()) {
            Responses.error(ctx, 503, "no reachable agent to list snapshots through");
            return;
        }
        call(HttpMethod.GET, agents.get(0) + "/v1/snapshots", null).onComplete(answer -> {
            if (answer.failed()) {
                Responses.error(ctx, 502, "agent " + agents.get(0) + ": " + answer.cause().getMessage());
                return;
            }
            JsonObject body = answer.result();
            Responses.json(ctx, body.containsKey("error") ? 502 : 200, new JsonObject()
                    .put("target", body.getString("target")).put("snapshots", body.getJsonArray("snapshots", new JsonArray()))
                    .put("error", body.getString("error")));
        });
    }

    private void status(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String agent;
        synchronized (requested) {
            agent = requested.get(id);
        }
        if (agent == null) {
            Responses.error(ctx, 404, "no snapshot " + id + " was asked for through this coordinator recently");
            return;
        }
        call(HttpMethod.GET, agent + "/v1/snapshots/" + id, null).onComplete(answer -> {
            if (answer.failed()) {
                Responses.error(ctx, 502, "agent " + agent + ": " + answer.cause().getMessage());
            } else {
                Responses.json(ctx, 200, answer.result());
            }
        });
    }

    /** One JSON request to an agent; any answer with a JSON body succeeds (its status is the agent's business). */
    private Future<JsonObject> call(HttpMethod method, String url, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setIdleTimeout(TIMEOUT_MS)
                .putHeader("Content-Type", "application/json");
        BearerAuth.header(token).ifPresent(h -> options.putHeader("Authorization", h));
        return http.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(Buffer::toString))
                .map(text -> {
                    try {
                        return new JsonObject(text);
                    } catch (DecodeException e) {
                        return new JsonObject().put("error", "not JSON: " + text);
                    }
                });
    }
}
