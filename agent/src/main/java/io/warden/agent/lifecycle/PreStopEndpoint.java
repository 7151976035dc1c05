package io.warden.agent.lifecycle;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warden.common.http.Responses;
import io.warden.common.wire.WireJson;

/**
 * {@code GET /v1/lifecycle/prestop}, what the Redis container's preStop hook calls: answers 200 with
 * {@code {"action": "switched-over"|"nothing-to-do"|"timed-out", "durationMs": N, "detail": "…"}} once it is safe
 * to stop Redis, or the preStop time is up (the kubelet stops Redis either way once the hook returns).
 */
public final class PreStopEndpoint implements Handler<RoutingContext> {

    private final PreStop preStop;

    public PreStopEndpoint(PreStop preStop) {
        this.preStop = preStop;
    }

    @Override
    public void handle(RoutingContext ctx) {
        preStop.run().onComplete(done -> {
            PreStop.Outcome outcome = done.succeeded() ? done.result()
                    : new PreStop.Outcome(PreStop.Outcome.TIMED_OUT, 0, "preStop failed: " + done.cause().getMessage());
            Responses.json(ctx, 200, new JsonObject(WireJson.encode(outcome)));
        });
    }
}
