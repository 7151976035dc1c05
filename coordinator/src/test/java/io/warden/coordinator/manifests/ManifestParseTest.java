package io.warden.coordinator.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.warden.testkit.Promtool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file under manifests/ parses into the official client's model classes (strictly: an unknown field or a
 * wrong type fails), every kustomization names files that exist and every file is used by one, the custom
 * resources fit what they point at, the alert rules pass promtool and the dashboard is JSON with queries.
 */
class ManifestParseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDocumentParsesIntoTheClientModel() {
        List<Manifests.Doc> docs = Manifests.all();
        assertTrue(docs.size() > 25, "all manifests were found: " + docs.size());
        for (Manifests.Doc doc : docs) {
            assertFalse(doc.model() instanceof Map && !doc.kind().equals("Kustomization"), doc + " was not parsed into a model");
            // The injection template is a fragment of a pod, not an object to apply: it has no name.
            if (!doc.kind().equals("Kustomization") && !doc.file().equals(Manifests.injectionTemplateFile())) {
                assertTrue(doc.raw().containsKey("apiVersion") && !doc.name().isEmpty() && !doc.name().equals("null"), doc + " needs apiVersion and a name");
            }
        }
    }

    @Test
    void kustomizationsNameExistingFilesAndEveryFileIsUsed() {
        Set<Path> used = new TreeSet<>();
        for (Manifests.Doc doc : Manifests.all().stream().filter(d -> d.kind().equals("Kustomization")).toList()) {
            Path dir = doc.file().getParent();
            used.add(doc.file());
            List<String> references = new ArrayList<>();
            for (String key : List.of("resources", "bases", "patchesStrategicMerge")) {
                references.addAll(strings(doc.raw().get(key)));
            }
            if (doc.raw().get("configMapGenerator") instanceof List<?> generators) {
                generators.forEach(g -> references.addAll(strings(((Map<?, ?>) g).get("files"))));
            }
            for (String reference : references) {
                Path target = dir.resolve(reference).normalize();
                assertTrue(Files.exists(target), doc.file() + " names " + reference + ", which does not exist");
                if (Files.isDirectory(target)) {
                    assertTrue(Files.exists(target.resolve("kustomization.yaml")), reference + " has no kustomization.yaml");
                }
                used.add(target);
            }
        }
        Set<Path> unused = new TreeSet<>(RepoFiles.under(RepoFiles.manifests(), ".yaml", ".yml", ".json", ".conf"));
        unused.removeAll(used);
        assertEquals(Set.of(), unused, "files no kustomization uses");
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static Map<String, Object> map(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        return m;
    }

    private static Map<String, Object> custom(String kind, String name) {
        Manifests.Doc doc = Manifests.all().stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        assertTrue(doc.model() instanceof DynamicKubernetesObject, kind + " is a custom resource");
        return doc.raw();
    }

    @Test
    void certificateAndWebhookPointAtEachOther() {
        Map<String, Object> certificate = map(custom("Certificate", "warden-webhook").get("spec"));
        Map<String, Object> issuerRef = map(certificate.get("issuerRef"));
        custom(String.valueOf(issuerRef.get("kind")), String.valueOf(issuerRef.get("name")));
        var webhook = Manifests.models(Manifests.base(), V1MutatingWebhookConfiguration.class).get(0);
        var service = webhook.getWebhooks().get(0).getClientConfig().getService();
        assertTrue(strings(certificate.get("dnsNames")).contains(service.getName() + "." + service.getNamespace() + ".svc"),
                "the certificate names the Service the API server calls");
        assertEquals(service.getNamespace() + "/warden-webhook", webhook.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from"));
        var volumes = Manifests.coordinatorDeployment().getSpec().getTemplate().getSpec().getVolumes();
        assertTrue(volumes.stream().anyMatch(v -> v.getSecret() != null && certificate.get("secretName").equals(v.getSecret().getSecretName())),
                "the coordinator mounts the certificate's Secret");
        assertEquals("PKCS8", map(certificate.get("privateKey")).get("encoding"), "a key encoding the webhook server reads");
    }

    @Test
    void monitorsSelectWhatExists() {
        Map<String, Object> podMonitor = map(custom("PodMonitor", "warden-agents").get("spec"));
        assertEquals(Manifests.redisStatefulSet().getSpec().getSelector().getMatchLabels(), map(podMonitor.get("selector")).get("matchLabels"));
        String agentPort = String.valueOf(map(((List<?>) podMonitor.get("podMetricsEndpoints")).get(0)).get("port"));
        var agent = Manifests.container(Manifests.redisStatefulSet().getSpec().getTemplate().getSpec().getInitContainers(), "agent");
        assertTrue(agent.getPorts().stream().anyMatch(p -> agentPort.equals(p.getName())), "the agent has a port named " + agentPort);

        Map<String, Object> serviceMonitor = map(custom("ServiceMonitor", "warden-coordinator").get("spec"));
        V1Service service = Manifests.one(Manifests.base(), V1Service.class, "warden-coordinator");
        assertEquals(service.getMetadata().getLabels().get("app.kubernetes.io/name"),
                map(map(serviceMonitor.get("selector")).get("matchLabels")).get("app.kubernetes.io/name"));
        String port = String.valueOf(map(((List<?>) serviceMonitor.get("endpoints")).get(0)).get("port"));
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName())), "the Service has a port named " + port);
    }

    @Test
    void alertRulesPassPromtoolAndCoverTheExpectedFailures() throws Exception {
        Map<String, Object> spec = map(custom("PrometheusRule", "warden").get("spec"));
        Path rules = Files.createTempFile("warden-rules-", ".yaml");
        try {
            Files.writeString(rules, new org.yaml.snakeyaml.Yaml().dump(spec));
            Promtool.assertRulesValid(rules);
        } finally {
            Files.delete(rules);
        }
        Set<String> alerts = new TreeSet<>();
        for (Object group : (List<?>) spec.get("groups")) {
            for (Object rule : (List<?>) map(group).get("rules")) {
                alerts.add(String.valueOf(map(rule).get("alert")));
            }
        }
        assertEquals(Set.of("WardenRedisDown", "WardenNoMaster", "WardenTwoMasters", "WardenReplicationBroken", "WardenSlotsNotCovered",
                "WardenClusterStateFail", "WardenSnapshotTooOld", "WardenMemoryNearMax", "WardenCoordinatorNoLeader"), alerts);
    }

    @Test
    void dashboardIsJsonWithAQueryPerPanel() throws Exception {
        JsonNode dashboard = JSON.readTree(RepoFiles.read(RepoFiles.manifests().resolve("monitoring/warden-dashboard.json")));
        assertTrue(dashboard.path("panels").size() >= 10);
        for (JsonNode panel : dashboard.path("panels")) {
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
            panel.path("targets").forEach(t -> assertFalse(t.path("expr").asText().isBlank(), panel.path("title").asText()));
        }
    }

    /** Every PromQL expression the monitoring files hold: alert rules and dashboard panels. */
    static List<String> monitoringQueries() throws Exception {
        List<String> queries = new ArrayList<>();
        for (Object group : (List<?>) map(custom("PrometheusRule", "warden").get("spec")).get("groups")) {
            for (Object rule : (List<?>) map(group).get("rules")) {
                queries.add(String.valueOf(map(rule).get("expr")));
            }
        }
        JsonNode dashboard = JSON.readTree(RepoFiles.read(RepoFiles.manifests().resolve("monitoring/warden-dashboard.json")));
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        return queries;
    }
}
