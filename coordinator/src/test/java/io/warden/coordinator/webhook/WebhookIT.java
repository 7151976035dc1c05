package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admission webhook over real HTTPS (a self-signed certificate made here, trusted by the client): a plain
 * Redis pod comes back as the base StatefulSet's pod, an injected pod comes back untouched, and whatever else
 * arrives gets a well-formed AdmissionReview that admits the pod.
 */
class WebhookIT {

    private static Vertx vertx;
    private static Path dir;
    private static URI endpoint;
    private static HttpClient client;

    @BeforeAll
    static void serve() throws Exception {
        dir = Files.createTempDirectory("warden-webhook-");
        SelfSignedCert cert = SelfSignedCert.create(dir);
        WebhookConfig config = new WebhookConfig(cert.certFile, cert.keyFile, PodForms.templateFile(), "127.0.0.1", 0);
        vertx = Vertx.vertx();
        WebhookServer server = new WebhookServer(config, InjectionTemplate.load(config.templateFile()));
        vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        endpoint = URI.create("https://127.0.0.1:" + server.port() + WebhookServer.PATH);
        // Generous: the first TLS handshake (key parsing, cipher setup) is slow on a busy machine.
        client = HttpClient.newBuilder().sslContext(cert.trustingIt()).connectTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static JsonNode post(String body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = PodForms.MAPPER.readTree(response.body());
        assertEquals("admission.k8s.io/v1", answer.path("apiVersion").asText(), response.body());
        assertEquals("AdmissionReview", answer.path("kind").asText(), response.body());
        assertTrue(answer.path("response").path("allowed").asBoolean(), "every pod is admitted: " + response.body());
        return answer.get("response");
    }

    private static String review(String uid, JsonNode pod) {
        ObjectNode review = PodForms.MAPPER.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", uid).put("operation", "CREATE").put("namespace", "warden");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", pod);
        return review.toString();
    }

    private static JsonNode patch(JsonNode response) throws Exception {
        assertEquals("JSONPatch", response.path("patchType").asText(), response.toString());
        return PodForms.MAPPER.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
    }

    @Test
    void plainRedisPodIsInjectedIntoTheBaseStatefulSetsPod() throws Exception {
        JsonNode plain = PodForms.plain();
        JsonNode response = post(review("uid-plain", plain));
        assertEquals("uid-plain", response.path("uid").asText());
        assertFalse(response.has("warnings"), response.toString());
        JsonNode injected = JsonPatch.apply(patch(response), plain);
        assertEquals(PodForms.normalized(PodForms.injected()), PodForms.normalized(injected),
                "the webhook's pod and the base StatefulSet's pod differ");
    }

    @Test
    void injectedPodIsLeftAlone() throws Exception {
        JsonNode injected = JsonPatch.apply(patch(post(review("uid-1", PodForms.plain()))), PodForms.plain());
        JsonNode again = post(review("uid-2", injected));
        assertEquals("uid-2", again.path("uid").asText());
        assertFalse(again.has("patch"), "a second review must not patch: " + again);
        assertFalse(again.has("warnings"), again.toString());
        JsonNode base = post(review("uid-3", PodForms.injected()));
        assertFalse(base.has("patch"), "the base StatefulSet's pod is already injected: " + base);
    }

    @Test
    void podWithoutADataVolumeIsAdmittedUnchangedWithAWarning() throws Exception {
        ObjectNode plain = PodForms.plain();
        ((com.fasterxml.jackson.databind.node.ArrayNode) plain.get("spec").get("volumes")).remove(0);
        JsonNode response = post(review("uid-nodata", plain));
        assertFalse(response.has("patch"), response.toString());
        assertTrue(response.path("warnings").get(0).asText().contains("data"), response.toString());
    }

    @Test
    void malformedReviewsGetAWellFormedAnswer() throws Exception {
        for (String body : List.of("", "not json", "[1,2]", "{}", "{\"request\": 7}",
                "{\"request\": {\"uid\": \"u-str\", \"operation\": \"CREATE\", \"kind\": {\"kind\": \"Pod\"}, \"object\": \"pod\"}}",
                "{\"request\": {\"uid\": \"u-empty\", \"operation\": \"CREATE\", \"kind\": {\"kind\": \"Pod\"}, \"object\": {}}}",
                "{\"request\": {\"uid\": \"u-cm\", \"operation\": \"CREATE\", \"kind\": {\"kind\": \"ConfigMap\"}, \"object\": {}}}",
                "{\"request\": {\"uid\": \"u-two\", \"operation\": \"CREATE\", \"kind\": {\"kind\": \"Pod\"}, \"object\": "
                        + "{\"spec\": {\"containers\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}}}")) {
            JsonNode response = post(body);
            assertFalse(response.has("patch"), body + " -> " + response);
            assertTrue(response.path("warnings").isArray() && !response.path("warnings").isEmpty(), body + " -> " + response);
            if (body.contains("\"uid\"")) {
                assertTrue(response.path("uid").asText().startsWith("u-"), "the uid is echoed: " + response);
            }
        }
        String huge = "{\"request\": {\"uid\": \"u-big\", \"object\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}}";
        JsonNode response = post(huge);
        assertFalse(response.has("patch"), response.toString());
    }
}
