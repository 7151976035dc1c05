package io.warden.coordinator.kube;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Builds the official client's {@link ApiClient}: in-cluster inside a pod, else against a given base URL. */
public final class KubeClients {

    private KubeClients() {
    }

    /**
     * In a pod (KUBERNETES_SERVICE_HOST set): the service account's token and CA. Elsewhere: plain HTTP to
     * {@code baseUrl}, which tests point at a mock API server.
     */
    public static ApiClient create(Map<String, String> env, String baseUrl) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        if (host != null && !host.isBlank()) {
            try {
                return ClientBuilder.cluster().build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the pod's service account", e);
            }
        }
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("not in a pod (KUBERNETES_SERVICE_HOST unset) and no API server URL given");
        }
        return forBaseUrl(baseUrl);
    }

    public static ApiClient forBaseUrl(String baseUrl) {
        return new ApiClient().setBasePath(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    }
}
