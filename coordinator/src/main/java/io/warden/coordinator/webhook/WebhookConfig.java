package io.warden.coordinator.webhook;

import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The admission webhook's settings. The webhook is served only when a certificate is configured: the API
 * server talks to webhooks over TLS only.
 *
 * @param certFile     WARDEN_WEBHOOK_CERT_FILE: PEM certificate chain (cert-manager's {@code tls.crt})
 * @param keyFile      WARDEN_WEBHOOK_KEY_FILE: PEM private key, PKCS#1 or PKCS#8 (cert-manager's {@code tls.key})
 * @param templateFile WARDEN_WEBHOOK_TEMPLATE_FILE: the injection template (a partial Pod in YAML, from a ConfigMap)
 * @param host         WARDEN_WEBHOOK_HOST, default 0.0.0.0
 * @param port         WARDEN_WEBHOOK_PORT, default 9443
 */
public record WebhookConfig(Path certFile, Path keyFile, Path templateFile, String host, int port) {

    public static final int DEFAULT_PORT = 9443;

    /** Empty when WARDEN_WEBHOOK_CERT_FILE is unset; otherwise every file must be readable now. */
    public static Optional<WebhookConfig> fromEnv(Env env) {
        Optional<String> cert = env.optional("WARDEN_WEBHOOK_CERT_FILE");
        if (cert.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WebhookConfig(
                readable("WARDEN_WEBHOOK_CERT_FILE", cert.get()),
                readable("WARDEN_WEBHOOK_KEY_FILE", env.required("WARDEN_WEBHOOK_KEY_FILE", "the PEM private key of the webhook's certificate")),
                readable("WARDEN_WEBHOOK_TEMPLATE_FILE", env.required("WARDEN_WEBHOOK_TEMPLATE_FILE", "the injection template (YAML)")),
                env.string("WARDEN_WEBHOOK_HOST", "0.0.0.0"),
                env.port("WARDEN_WEBHOOK_PORT", DEFAULT_PORT)));
    }

    private static Path readable(String variable, String value) {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigException(variable, "cannot read the file " + value);
        }
        return path;
    }
}
