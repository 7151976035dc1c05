package io.warden.agent.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.warden.common.http.BearerAuth;
import io.warden.common.wire.SwitchoverRequest;
import io.warden.common.wire.WireJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the coordinator to switch this node's shard over, through the public API: the shard is the one the
 * topology document lists this node as master of ({@code GET /v1/topology}), and the request names this node as
 * {@code from}, so a shard whose master changed meanwhile is refused rather than moved.
 */
public final class CoordinatorSwitchover implements AutoCloseable {

    /** What came of one request. */
    record Answer(Kind kind, String detail) {

        enum Kind {
            /** The coordinator confirmed a new master. */
            SWITCHED,
            /** The coordinator answered, but not with a switchover (refused, busy, no leader): ask again later. */
            REFUSED,
            /** No answer at all: the coordinator is down or cut off. */
            UNREACHABLE
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Optional<String> token;
    private final String name;

    public CoordinatorSwitchover(Vertx vertx, String baseUrl, Optional<String> token, String name) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
        this.baseUrl = baseUrl;
        this.token = token;
        this.name = name;
    }

    /** Asks once; {@code patience} bounds the wait for the coordinator's answer (it answers once the switchover is done). */
    Future<Answer> request(Duration patience) {
        return send(HttpMethod.GET, "/v1/topology", null, Duration.ofSeconds(5)).compose(topology -> {
            if (topology.status() != 200) {
                return Future.succeededFuture(new Answer(Answer.Kind.REFUSED, "topology answered " + topology.status() + ": " + topology.error()));
            }
            Optional<String> shard = shardMasteredBy(topology.body());
            if (shard.isEmpty()) {
                return Future.succeededFuture(new Answer(Answer.Kind.REFUSED, "the coordinator does not list " + name + " as a shard's master"));
            }
            String body = WireJson.encode(new SwitchoverRequest(null, name));
            return send(HttpMethod.POST, "/v1/shards/" + URLEncoder.encode(shard.get(), StandardCharsets.UTF_8) + "/switchover", body, patience)
                    .map(answer -> answer.status() == 200
                            ? new Answer(Answer.Kind.SWITCHED, answer.body().getString("outcome", "switched over"))
                            : new Answer(Answer.Kind.REFUSED, answer.status() + ": " + answer.error()));
        }).otherwise(failure -> new Answer(Answer.Kind.UNREACHABLE, String.valueOf(failure.getMessage())));
    }

    private Optional<String> shardMasteredBy(JsonObject topology) {
        var shards = topology.getJsonArray("shards");
        if (shards == null) {
            return Optional.empty();
        }
        for (int i = 0; i < shards.size(); i++) {
            JsonObject shard = shards.getJsonObject(i);
            JsonObject master = shard.getJsonObject("master");
            if (master != null && name.equals(master.getString("name"))) {
                return Optional.ofNullable(shard.getString("id"));
            }
        }
        return Optional.empty();
    }

    private record Response(int status, JsonObject body) {

        String error() {
            return body.getString("error", body.encode());
        }
    }

    private Future<Response> send(HttpMethod method, String path, String body, Duration timeout) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(baseUrl + path)
                .setIdleTimeout(Math.max(1000, timeout.toMillis())).putHeader("Content-Type", "application/json");
        BearerAuth.header(token).ifPresent(h -> options.putHeader("Authorization", h));
        return http.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Response(response.statusCode(), parse(b))));
    }

    private static JsonObject parse(Buffer body) {
        try {
            return body.toJsonObject();
        } catch (RuntimeException e) {
            return new JsonObject().put("error", body.toString());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
