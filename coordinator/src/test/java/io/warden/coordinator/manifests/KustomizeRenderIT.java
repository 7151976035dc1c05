package io.warden.coordinator.manifests;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.warden.coordinator.kube.RoleLabeler;
import io.warden.testkit.RedisBinaries;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kustomization rendered by `kubectl kustomize` (Debian's kubernetes-client, which bin/test installs, embeds
 * kustomize v2.0.3; newer kubectl builds embed kustomize 5: the manifests are written for both), and what it
 * renders parsed into the client's models and checked for what each overlay is for.
 */
class KustomizeRenderIT {

    static List<Manifests.Doc> render(String dir) throws Exception {
        Path kubectl = RedisBinaries.find("kubectl", "kubernetes-client");
        Path target = RepoFiles.manifests().resolve(dir);
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", target.toString()).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl kustomize " + dir + " did not finish within 60 s");
        }
        assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + ": " + err);
        List<Manifests.Doc> docs = Manifests.parse(target.resolve("rendered"), new String(out, StandardCharsets.UTF_8));
        assertTrue(!docs.isEmpty(), dir + " renders nothing");
        return docs;
    }

    private static String env(V1Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(V1EnvVar::getValue).findFirst().orElse(null);
    }

    private static V1Container coordinator(List<Manifests.Doc> docs) {
        return Manifests.one(docs, V1Deployment.class, "warden-coordinator").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** Every ConfigMap a workload mounts is one the rendering generated (hash-suffixed names followed). */
    private static void configMapsResolve(List<Manifests.Doc> docs) {
        Set<String> generated = Manifests.models(docs, V1ConfigMap.class).stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
        List<V1Volume> volumes = new java.util.ArrayList<>();
        Manifests.models(docs, V1Deployment.class).forEach(d -> volumes.addAll(d.getSpec().getTemplate().getSpec().getVolumes()));
        Manifests.models(docs, V1StatefulSet.class).forEach(s -> volumes.addAll(s.getSpec().getTemplate().getSpec().getVolumes()));
        volumes.stream().filter(v -> v.getConfigMap() != null).forEach(v ->
                assertTrue(generated.contains(v.getConfigMap().getName()), "volume " + v.getName() + " names " + v.getConfigMap().getName() + ", not rendered"));
    }

    private static String redisConf(List<Manifests.Doc> docs) {
        return Manifests.models(docs, V1ConfigMap.class).stream().filter(c -> c.getMetadata().getName().startsWith("redis-config"))
                .findFirst().orElseThrow().getData().get("redis.conf");
    }

    @Test
    void clusterOverlay() throws Exception {
        List<Manifests.Doc> docs = render("overlays/cluster");
        configMapsResolve(docs);
        V1Container coordinator = coordinator(docs);
        int shards = Integer.parseInt(env(coordinator, "WARDEN_SHARDS"));
        int replicas = Integer.parseInt(env(coordinator, "WARDEN_REPLICAS"));
        assertEquals("cluster", env(coordinator, "WARDEN_MODE"));
        assertEquals(shards * (1 + replicas), Manifests.one(docs, V1StatefulSet.class, "redis").getSpec().getReplicas(), "pods = shards x (1 + replicas)");
        assertTrue(redisConf(docs).matches("(?s).*\ncluster-enabled yes\n.*"));
        assertTrue(docs.stream().allMatch(d -> !d.raw().containsKey("metadata") || d.kind().equals("Namespace")
                || d.kind().equals("MutatingWebhookConfiguration") || "warden".equals(((Map<?, ?>) d.raw().get("metadata")).get("namespace"))),
                "everything namespaced lives in warden");
    }

    @Test
    void replicationOverlay() throws Exception {
        List<Manifests.Doc> docs = render("overlays/replication");
        configMapsResolve(docs);
        V1Container coordinator = coordinator(docs);
        assertEquals("replication", env(coordinator, "WARDEN_MODE"));
        assertEquals(1 + Integer.parseInt(env(coordinator, "WARDEN_REPLICAS")), Manifests.one(docs, V1StatefulSet.class, "redis").getSpec().getReplicas());
        assertTrue(!redisConf(docs).matches("(?s).*(^|\n)cluster-enabled.*"), "replication mode runs Redis without cluster mode");
        assertEquals("master", Manifests.one(docs, V1Service.class, "redis-master").getSpec().getSelector().get(RoleLabeler.ROLE_LABEL));
        assertEquals("replica", Manifests.one(docs, V1Service.class, "redis-replicas").getSpec().getSelector().get(RoleLabeler.ROLE_LABEL));
    }

    @Test
    void s3SnapshotsOverlayReachesTheAgentAndTheRestoreStep() throws Exception {
        List<Manifests.Doc> docs = render("overlays/s3-snapshots");
        configMapsResolve(docs);
        List<V1Container> init = Manifests.one(docs, V1StatefulSet.class, "redis").getSpec().getTemplate().getSpec().getInitContainers();
        assertEquals(List.of("restore", "agent"), init.stream().map(V1Container::getName).toList(), "the patch merged by name");
        assertEquals("Always", init.get(1).getRestartPolicy(), "still a native sidecar after the patch");
        for (V1Container c : init) {
            assertTrue(env(c, "WARDEN_SNAPSHOT_TARGET").startsWith("s3://"), c.getName());
            assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("WARDEN_TOKEN_FILE")), c.getName() + " keeps its base env");
        }
        Set<String> agentOnly = new TreeSet<>(Set.of("WARDEN_SNAPSHOT_INTERVAL", "WARDEN_SNAPSHOT_KEEP"));
        agentOnly.removeIf(name -> env(init.get(1), name) != null);
        assertEquals(Set.of(), agentOnly);
    }

    @Test
    void baseAndMonitoringRender() throws Exception {
        List<Manifests.Doc> base = render("base");
        configMapsResolve(base);
        assertTrue(Manifests.models(base, V1ConfigMap.class).stream().anyMatch(c -> c.getMetadata().getName().startsWith("warden-injection")
                && c.getData().containsKey("template.yaml")), "the injection template is in its ConfigMap");
        List<Manifests.Doc> monitoring = render("monitoring");
        assertEquals(Set.of("PodMonitor", "ServiceMonitor", "PrometheusRule", "ConfigMap"),
                monitoring.stream().map(Manifests.Doc::kind).collect(Collectors.toSet()));
    }
}
