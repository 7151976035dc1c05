package io.warden.common.snapshot;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach S3-compatible storage: {@code WARDEN_S3_ENDPOINT} (MinIO, Ceph…; AWS's own when unset),
 * {@code WARDEN_S3_REGION} (default us-east-1) and {@code WARDEN_S3_PATH_STYLE} (true for most non-AWS servers).
 * Credentials are not here: the SDK's default chain finds them (environment, web identity token, instance role).
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle) {

    public static S3Settings fromEnv(Env env) {
        Optional<URI> endpoint = env.optional("WARDEN_S3_ENDPOINT").map(value -> {
            if (!value.matches("https?://[^/\\s]+/?")) {
                throw new ConfigException("WARDEN_S3_ENDPOINT", "expected an http:// or https:// URL of the S3 server, got \"" + value + "\"");
            }
            return URI.create(value.replaceFirst("/$", ""));
        });
        String pathStyle = env.string("WARDEN_S3_PATH_STYLE", "false");
        if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw new ConfigException("WARDEN_S3_PATH_STYLE", "expected true or false, got \"" + pathStyle + "\"");
        }
        return new S3Settings(endpoint, env.string("WARDEN_S3_REGION", "us-east-1"), Boolean.parseBoolean(pathStyle));
    }

    /** Timeouts of the S3 client: generous per request, since one part is many megabytes. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(120);
}
