package io.warden.coordinator.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.warden.common.http.Responses;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.Leadership;

/**
 * On a follower, passes every {@code /v1/*} request on to the leader and relays its answer, so agents and
 * people may talk to any coordinator (a Kubernetes Service picks one at random). A forwarded request is
 * marked; if it reaches another follower (leadership moved meanwhile) it is answered 503, never bounced on.
 */
public final class LeaderForwarder implements Handler<RoutingContext> {

    static final String FORWARDED_HEADER = "X-Warden-Forwarded-By";

    private final LeaderElection election;
    private final HttpClient http;
    private final String identity;

    public LeaderForwarder(Vertx vertx, LeaderElection election, String identity) {
        this.election = election;
        this.identity = identity;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000));
    }

    @Override
    public void handle(RoutingContext ctx) {
        Leadership leadership = election.current();
        if (leadership.leading()) {
            ctx.next();
            return;
        }
        if (leadership.leaderUrl().isEmpty()) {
            Responses.error(ctx, 503, "no leader is elected yet; try again shortly");
            return;
        }
        if (ctx.request().getHeader(FORWARDED_HEADER) != null) {
            Responses.error(ctx, 503, "leadership is moving; try again shortly");
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(ctx.request().method())
                .setAbsoluteURI(leadership.leaderUrl() + ctx.request().uri()).setIdleTimeout(30_000)
                .putHeader(FORWARDED_HEADER, identity);
        for (String header : new String[] {"Authorization", "Content-Type"}) {
            String value = ctx.request().getHeader(header);
            if (value != null) {
                options.putHeader(header, value);
            }
        }
        http.request(options)
                .compose(request -> ctx.body().buffer() == null ? request.send() : request.send(ctx.body().buffer()))
                .compose(response -> response.body().map(body -> {
                    ctx.response().setStatusCode(response.statusCode());
                    String type = response.getHeader("Content-Type");
                    if (type != null) {
                        ctx.response().putHeader("Content-Type", type);
                    }
                    ctx.response().end(body);
                    return null;
                }))
                .onFailure(failure -> Responses.error(ctx, 503, "the leader " + leadership.leaderName() + " did not answer: " + failure.getMessage()));
    }
}
