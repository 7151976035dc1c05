package io.warden.common.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards {@code /v1/*} with {@code Authorization: Bearer <token>} when a token is configured (WARDEN_TOKEN or
 * WARDEN_TOKEN_FILE). The comparison takes the same time whatever the guess, so the token cannot be found
 * a byte at a time. Health, readiness and metrics are routed before this and stay open.
 */
public final class BearerAuth implements Handler<RoutingContext> {

    private final Optional<byte[]> expected;

    public BearerAuth(Optional<String> token) {
        this.expected = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (expected.isEmpty()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected.get(), given)) {
            ctx.next();
        } else {
            Responses.error(ctx, 401, header == null ? "missing Authorization: Bearer <token>" : "wrong token");
        }
    }

    /** The header value to send, when a token is configured. */
    public static Optional<String> header(Optional<String> token) {
        return token.map(t -> "Bearer " + t);
    }
}
