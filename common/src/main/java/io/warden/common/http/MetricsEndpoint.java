package io.warden.common.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Serves a Prometheus registry in the text exposition format (version 0.0.4, what every scraper reads). */
public final class MetricsEndpoint implements Handler<RoutingContext> {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(registry.scrape());
    }
}
