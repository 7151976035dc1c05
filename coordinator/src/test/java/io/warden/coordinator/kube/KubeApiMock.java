package io.warden.coordinator.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API server in CRUD mode (fabric8's mock, a real HTTP server on 127.0.0.1), fresh for each test,
 * driven through the official client like the real one.
 */
public final class KubeApiMock implements BeforeEachCallback, AfterEachCallback {

    /** The mock logs every request at INFO. Held here: JUL keeps loggers weakly, and a collected one forgets its level. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private KubernetesMockServer server;
    private String url;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        url = "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    public String url() {
        return url;
    }

    /** A new official client for the mock, as each coordinator would have its own. */
    public ApiClient client() {
        return KubeClients.forBaseUrl(url);
    }

    /** The API server goes away: connections are refused from now on. */
    /** Creates the pods {@code redis-0} … {@code redis-<count-1>} in {@code namespace}, as a StatefulSet would. */
    public void createRedisPods(String namespace, int count) throws Exception {
        CoreV1Api core = new CoreV1Api(client());
        for (int i = 0; i < count; i++) {
            core.createNamespacedPod(namespace, new V1Pod().kind("Pod").apiVersion("v1")
                    .metadata(new V1ObjectMeta().name("redis-" + i).namespace(namespace))).execute();
        }
    }

    public void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /** GETs {@code path} as raw JSON text, bypassing the official client's model classes. */
    public String getRaw(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
