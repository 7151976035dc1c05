package io.warden.common.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JSON responses, and the router-wide handlers that keep every answer JSON: an unknown path is a 404
 * with {@code {"error": …}}, a failure a 500 with a generic message. Stack traces go to the log only.
 */
public final class Responses {

    private static final Logger LOG = Logger.getLogger(Responses.class.getName());

    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }

    public static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    /** Installs the JSON 404/405 answers and a failure handler that never leaks a stack trace. */
    public static void installErrorHandlers(Router router) {
        router.errorHandler(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.route().failureHandler(ctx -> {
            if (ctx.failure() != null) {
                LOG.log(Level.WARNING, "request " + ctx.request().method() + " " + ctx.request().path() + " failed", ctx.failure());
            }
            int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
            if (!ctx.response().ended()) {
                error(ctx, status, switch (status) {
                    case 413 -> "the request body is too large";
                    case 500 -> "internal error; see the server log";
                    default -> "request failed";
                });
            }
        });
    }
}
