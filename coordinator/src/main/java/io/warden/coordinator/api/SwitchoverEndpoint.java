package io.warden.coordinator.api;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warden.common.http.Responses;
import io.warden.common.wire.BadInput;
import io.warden.common.wire.SwitchoverRequest;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.switchover.Switchovers;

/**
 * {@code POST /v1/shards/{id}/switchover}, body {@code {"to": "<node name>"}} optional: answers once the new master is
 * confirmed, with {@code {"shard", "oldMaster", "newMaster", "durationMs", "outcome"}}; 409 with the reason when the
 * switchover is refused (nothing changed), 400 when the body is not what the contract says.
 */
final class SwitchoverEndpoint implements Handler<RoutingContext> {

    private final Switchovers switchovers;

    SwitchoverEndpoint(Switchovers switchovers) {
        this.switchovers = switchovers;
    }

    @Override
    public void handle(RoutingContext ctx) {
        SwitchoverRequest request;
        try {
            request = parse(ctx.body().asString());
        } catch (BadInput e) {
            Responses.error(ctx, 400, e.getMessage());
            return;
        }
        switchovers.switchover(ctx.pathParam("id"), request).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            Switchovers.Answer answer = done.result();
            if (answer.result().isPresent()) {
                Responses.json(ctx, 200, new JsonObject(WireJson.encode(answer.result().get())));
            } else {
                Responses.error(ctx, answer.status(), answer.error());
            }
        });
    }

    /** An empty body asks for the coordinator's choice; named fields must be non-empty strings. */
    static SwitchoverRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return SwitchoverRequest.ANY;
        }
        SwitchoverRequest request = WireJson.decode(body, SwitchoverRequest.class);
        requireNameIfPresent("to", request.to());
        requireNameIfPresent("from", request.from());
        return request;
    }

    private static void requireNameIfPresent(String field, String value) {
        if (value != null && value.isBlank()) {
            throw new BadInput("field '" + field + "': expected a node name, got an empty string");
        }
    }
}
