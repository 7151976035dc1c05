package io.warden.coordinator.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warden.common.http.Responses;
import io.warden.common.wire.BadInput;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.scale.Scaler;
import io.warden.coordinator.scale.ShapeCheck;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /v1/scale} with {@code {"shards": N, "replicas": R}} ({@code replicas} optional: unchanged). Answers
 * 202 with the shape now desired once it is stored; 400 with the reason when the body is wrong or the shape cannot
 * be held (nothing recorded then); 503 when it cannot be stored.
 */
final class ScaleEndpoint implements Handler<RoutingContext> {

    private final Vertx vertx;
    private final Scaler scaler;
    private final Supplier<ClusterView> view;
    private final Runnable nudge;

    /** @param nudge asks the reconciler to plan now for the new shape */
    ScaleEndpoint(Vertx vertx, Scaler scaler, Supplier<ClusterView> view, Runnable nudge) {
        this.vertx = vertx;
        this.scaler = scaler;
        this.view = view;
        this.nudge = nudge;
    }

    /** The request body. */
    record ScaleRequest(Integer shards, Integer replicas) {
    }

    @Override
    public void handle(RoutingContext ctx) {
        ScaleRequest request;
        try {
            request = WireJson.decode(ctx.body().asString(), ScaleRequest.class);
            if (request.shards() == null) {
                throw new BadInput("field 'shards': expected a whole number");
            }
        } catch (BadInput e) {
            Responses.error(ctx, 400, e.getMessage());
            return;
        }
        DesiredShape current = scaler.desired();
        if (current.restore().active()) {
            Responses.error(ctx, 409, "a restore is under way (" + current.restore().entries().size()
                    + " restored masters joining); scale once bin/warden status shows it healthy");
            return;
        }
        int replicas = request.replicas() == null ? current.replicas() : request.replicas();
        Optional<String> refusal = ShapeCheck.refusal(current.mode(), request.shards(), replicas, view.get(), scaler.limits());
        if (refusal.isPresent()) {
            Responses.error(ctx, 400, refusal.get());
            return;
        }
        vertx.executeBlocking(() -> scaler.request(request.shards(), replicas)).onComplete(done -> {
            if (done.failed()) {
                Responses.error(ctx, 503, "cannot record the shape: " + done.cause().getMessage());
                return;
            }
            DesiredShape shape = done.result();
            nudge.run();
            Responses.json(ctx, 202, new JsonObject().put("mode", shape.mode().wireName()).put("shards", shape.shards())
                    .put("replicas", shape.replicas()).put("nodes", shape.nodesNeeded())
                    .put("previous", new JsonObject().put("shards", current.shards()).put("replicas", current.replicas())));
        });
    }
}
