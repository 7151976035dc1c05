package io.warden.coordinator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.warden.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodInjectorTest {

    private static final String TEMPLATE = """
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                warden.io/injected: "true"
            spec:
              initContainers:
                - name: agent
                  image: warden-agent:0.1.0
                  restartPolicy: Always
                  volumeMounts:
                    - name: data
                      mountPath: /data
              containers:
                - name: redis
                  readinessProbe:
                    httpGet:
                      path: /ready
                      port: 9736
                  livenessProbe:
                    httpGet:
                      path: /health
                      port: 9736
                  volumeMounts:
                    - name: warden-tmp
                      mountPath: /tmp
              volumes:
                - name: warden-tmp
                  emptyDir: {}
            """;

    private final PodInjector injector = new PodInjector(InjectionTemplate.parse(TEMPLATE));

    private static JsonNode json(String text) throws Exception {
        return PodForms.MAPPER.readTree(text);
    }

    private static List<String> paths(Injection injection) {
        List<String> paths = new ArrayList<>();
        ((Injection.Patch) injection).operations().forEach(op -> paths.add(op.get("op").asText() + " " + op.get("path").asText()));
        return paths;
    }

    @Test
    void absentArraysAndMapsAreAddedWholeAndPresentOnesAppendedTo() throws Exception {
        JsonNode bare = json("""
                {"metadata": {"name": "r"}, "spec": {"containers": [{"name": "redis", "image": "redis"}],
                 "volumes": [{"name": "data", "emptyDir": {}}]}}""");
        assertEquals(List.of("add /spec/initContainers", "add /spec/volumes/-", "add /spec/containers/0/readinessProbe",
                "add /spec/containers/0/livenessProbe", "add /spec/containers/0/volumeMounts", "add /metadata/annotations"),
                paths(injector.inject(bare)));

        JsonNode withLists = json("""
                {"metadata": {"annotations": {"team": "a"}}, "spec": {"initContainers": [{"name": "setup"}],
                 "containers": [{"name": "redis", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
                 "volumes": [{"name": "data", "emptyDir": {}}]}}""");
        assertEquals(List.of("add /spec/initContainers/-", "add /spec/volumes/-", "add /spec/containers/0/readinessProbe",
                "add /spec/containers/0/livenessProbe", "add /spec/containers/0/volumeMounts/-", "add /metadata/annotations/warden.io~1injected"),
                paths(injector.inject(withLists)));
    }

    @Test
    void whatThePodSaysIsKeptAndTheResultIsStable() throws Exception {
        JsonNode pod = json("""
                {"metadata": {}, "spec": {"containers": [{"name": "sidecar"}, {"name": "redis",
                 "readinessProbe": {"exec": {"command": ["redis-cli", "ping"]}}}], "volumes": [{"name": "data", "emptyDir": {}}]}}""");
        JsonNode injected = JsonPatch.apply(((Injection.Patch) injector.inject(pod)).operations(), pod);
        JsonNode redis = injected.get("spec").get("containers").get(1);
        assertEquals("redis-cli", redis.get("readinessProbe").get("exec").get("command").get(0).asText(), "the pod's own probe stays");
        assertEquals("/health", redis.get("livenessProbe").get("httpGet").get("path").asText());
        assertEquals("Always", injected.get("spec").get("initContainers").get(0).get("restartPolicy").asText());
        assertEquals("{}", injected.get("spec").get("volumes").get(1).get("emptyDir").toString(), "injected as written");
        assertInstanceOf(Injection.AlreadyInjected.class, injector.inject(injected));
        JsonNode unmarked = injected.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) unmarked.get("metadata")).remove("annotations");
        assertEquals(List.of("add /metadata/annotations"), paths(injector.inject(unmarked)), "only the mark is missing");
    }

    @Test
    void aPodWithOneContainerOfAnotherNameIsItsRedis() throws Exception {
        JsonNode pod = json("""
                {"spec": {"containers": [{"name": "server"}], "volumes": [{"name": "data", "emptyDir": {}}]}}""");
        assertTrue(paths(injector.inject(pod)).contains("add /spec/containers/0/livenessProbe"));
        assertTrue(paths(injector.inject(pod)).contains("add /metadata"), "no metadata at all: added whole");
    }

    @Test
    void podsItCannotInjectAreDeclinedWithAReason() throws Exception {
        Injection noData = injector.inject(json("{\"spec\": {\"containers\": [{\"name\": \"redis\"}]}}"));
        assertTrue(((Injection.Declined) noData).warning().contains("no volume data"), noData.toString());
        Injection noRedis = injector.inject(json("{\"spec\": {\"containers\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}}"));
        assertTrue(((Injection.Declined) noRedis).warning().contains("'redis'"), noRedis.toString());
        assertInstanceOf(Injection.Declined.class, injector.inject(json("{\"spec\": {}}")));
        assertInstanceOf(Injection.Declined.class, injector.inject(json("[]")));
    }

    @Test
    void aBadTemplateStopsTheCoordinatorNamingTheVariable() throws Exception {
        Path dir = Files.createTempDirectory("warden-template-");
        try {
            Map<String, String> bad = Map.of(
                    "unknown field", TEMPLATE.replace("restartPolicy: Always", "restartPolicy: Always\n      bogus: 1"),
                    "no mark", TEMPLATE.replace("warden.io/injected", "other"),
                    "no redis container", TEMPLATE.replace("  containers:\n    - name: redis\n", "  containers: []\n  x:\n    - name: redis\n"),
                    "not yaml", "{");
            for (Map.Entry<String, String> e : bad.entrySet()) {
                Path file = dir.resolve("template.yaml");
                Files.writeString(file, e.getValue());
                ConfigException error = assertThrows(ConfigException.class, () -> InjectionTemplate.load(file), e.getKey());
                assertEquals("WARDEN_WEBHOOK_TEMPLATE_FILE", error.variable(), e.getKey());
                assertTrue(!error.getMessage().contains("\n"), "one line: " + error.getMessage());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("template.yaml"));
            Files.delete(dir);
        }
    }

    @Test
    void webhookSettingsNameTheVariableThatIsWrong() throws Exception {
        assertTrue(WebhookConfig.fromEnv(io.warden.common.config.Env.of(Map.of())).isEmpty(), "no certificate: no webhook");
        Path dir = Files.createTempDirectory("warden-webhook-config-");
        Path cert = Files.writeString(dir.resolve("tls.crt"), "x");
        try {
            ConfigException missingKey = assertThrows(ConfigException.class, () -> WebhookConfig.fromEnv(io.warden.common.config.Env.of(
                    Map.of("WARDEN_WEBHOOK_CERT_FILE", cert.toString()))));
            assertEquals("WARDEN_WEBHOOK_KEY_FILE", missingKey.variable());
            ConfigException unreadable = assertThrows(ConfigException.class, () -> WebhookConfig.fromEnv(io.warden.common.config.Env.of(
                    Map.of("WARDEN_WEBHOOK_CERT_FILE", dir.resolve("nope").toString()))));
            assertEquals("WARDEN_WEBHOOK_CERT_FILE", unreadable.variable());
            ConfigException port = assertThrows(ConfigException.class, () -> WebhookConfig.fromEnv(io.warden.common.config.Env.of(
                    Map.of("WARDEN_WEBHOOK_CERT_FILE", cert.toString(), "WARDEN_WEBHOOK_KEY_FILE", cert.toString(),
                            "WARDEN_WEBHOOK_TEMPLATE_FILE", cert.toString(), "WARDEN_WEBHOOK_PORT", "x"))));
            assertEquals("WARDEN_WEBHOOK_PORT", port.variable());
        } finally {
            Files.delete(cert);
            Files.delete(dir);
        }
    }
}
