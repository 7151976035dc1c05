package io.warden.coordinator.webhook;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.warden.common.config.ConfigException;
import io.warden.common.http.Responses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.logging.Logger;

/**
 * Serves {@code POST /v1/admission/mutate} over TLS on its own port. Any coordinator replica answers: the
 * answer depends on the pod and the template only, so there is no leader to forward to, and the API server
 * sends no bearer token. The certificate files are re-read when they change (cert-manager renews them in place).
 */
public final class WebhookServer extends VerticleBase {

    public static final String PATH = "/v1/admission/mutate";

    private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());
    /** An AdmissionReview holds the object and, on updates, the old one; Kubernetes objects are at most 1.5 MiB. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final long RELOAD_CHECK_MS = 30_000;

    private final WebhookConfig config;
    private final AdmissionReviews reviews;
    private HttpServer server;
    private List<FileTime> loaded;

    public WebhookServer(WebhookConfig config, InjectionTemplate template) {
        this.config = config;
        this.reviews = new AdmissionReviews(new PodInjector(template));
    }

    @Override
    public Future<?> start() {
        loaded = modified();
        Router router = Router.router(vertx);
        router.post(PATH).handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(this::mutate)
                // Even a body over the limit gets an AdmissionReview back: the pod is admitted unchanged.
                .failureHandler(ctx -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                        .end(reviews.answer(new byte[0]).toString()));
        Responses.installErrorHandlers(router);
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setSsl(true).setKeyCertOptions(keyCert());
        return vertx.createHttpServer(options).requestHandler(router).listen()
                .recover(failure -> Future.failedFuture(new ConfigException("WARDEN_WEBHOOK_PORT", "cannot serve the webhook on "
                        + config.host() + ":" + config.port() + " with " + config.certFile() + " and " + config.keyFile()
                        + " (" + failure.getMessage() + ")")))
                .onSuccess(listening -> {
                    server = listening;
                    vertx.setPeriodic(RELOAD_CHECK_MS, id -> reloadIfChanged());
                    LOG.info("admission webhook serving on https://" + config.host() + ":" + listening.actualPort() + PATH);
                });
    }

    public int port() {
        return server.actualPort();
    }

    private void mutate(RoutingContext ctx) {
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        ctx.response().putHeader("Content-Type", "application/json").end(reviews.answer(body).toString());
    }

    private PemKeyCertOptions keyCert() {
        return new PemKeyCertOptions().setCertPath(config.certFile().toString()).setKeyPath(config.keyFile().toString());
    }

    private void reloadIfChanged() {
        List<FileTime> now = modified();
        if (now.equals(loaded)) {
            return;
        }
        server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(keyCert()), true).onComplete(done -> {
            if (done.succeeded()) {
                loaded = now;
                LOG.info("admission webhook reloaded its certificate from " + config.certFile());
            } else {
                LOG.warning("admission webhook keeps its old certificate: cannot load " + config.certFile() + ": " + done.cause());
            }
        });
    }

    private List<FileTime> modified() {
        try {
            return List.of(Files.getLastModifiedTime(config.certFile()), Files.getLastModifiedTime(config.keyFile()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
