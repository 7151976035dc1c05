package io.warden.coordinator.manifests;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.warden.agent.AgentConfig;
import io.warden.common.redis.Role;
import io.warden.coordinator.CoordinatorConfig;
import io.warden.coordinator.kube.RoleLabeler;
import io.warden.coordinator.webhook.WebhookConfig;
import io.warden.coordinator.webhook.WebhookServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests against the code: what the containers are given is what the code reads, what the probes call
 * is where the code listens, what the Role grants is what the code calls. Expectations come from the sources
 * and classes (see {@link SourceFacts}).
 */
class ManifestWiringTest {

    /** The agent's and the restore step's containers, wherever they are written (base, template, overlay patches). */
    private static List<V1Container> agentContainers() {
        List<V1Container> all = new ArrayList<>();
        for (V1StatefulSet sts : Manifests.models(Manifests.all(), V1StatefulSet.class)) {
            Optional.ofNullable(sts.getSpec()).map(s -> s.getTemplate()).map(t -> t.getSpec()).map(V1PodSpec::getInitContainers).ifPresent(all::addAll);
        }
        all.addAll(Manifests.injectionTemplate().getSpec().getInitContainers());
        return all;
    }

    private static List<V1Container> coordinatorContainers() {
        return Manifests.models(Manifests.all(), V1Deployment.class).stream()
                .filter(d -> "warden-coordinator".equals(d.getMetadata().getName()))
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()).toList();
    }

    private static Set<String> envNames(List<V1Container> containers) {
        Set<String> names = new TreeSet<>();
        containers.forEach(c -> Stream.ofNullable(c.getEnv()).flatMap(List::stream).map(V1EnvVar::getName).forEach(names::add));
        return names;
    }

    private static String envValue(V1Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(V1EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    @Test
    void agentAndRestoreAreGivenOnlyVariablesTheAgentReads() {
        Set<String> given = envNames(agentContainers());
        Set<String> read = SourceFacts.envNames("agent");
        if (RepoFiles.read(RepoFiles.root().resolve("common/pom.xml")).contains("software.amazon.awssdk")) {
            // The AWS SDK's default credentials chain reads these.
            read.addAll(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
        }
        given.removeAll(read);
        assertEquals(Set.of(), given,
                "variables the agent's code never reads (a typo, or a setting that does nothing); it reads " + read);
    }

    @Test
    void coordinatorIsGivenOnlyVariablesTheCoordinatorReads() {
        Set<String> given = envNames(coordinatorContainers());
        Set<String> read = SourceFacts.envNames("coordinator");
        given.removeAll(read);
        assertEquals(Set.of(), given,
                "variables the coordinator's code never reads; it reads " + read);
    }

    @Test
    void agentGetsEveryDownwardApiIdentityItReads() {
        V1Container agent = Manifests.container(Manifests.redisStatefulSet().getSpec().getTemplate().getSpec().getInitContainers(), "agent");
        Map<String, String> downward = Map.of("POD_NAME", "metadata.name", "POD_NAMESPACE", "metadata.namespace",
                "POD_IP", "status.podIP", "NODE_NAME", "spec.nodeName");
        Set<String> read = SourceFacts.envNames("agent");
        assertTrue(read.containsAll(Set.of("POD_NAME", "POD_IP", "NODE_NAME")), "the agent's identity: " + read);
        downward.forEach((name, field) -> {
            if (!read.contains(name)) {
                return;
            }
            V1EnvVar var = agent.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("the agent has no " + name));
            assertEquals(field, var.getValueFrom().getFieldRef().getFieldPath(), name);
        });
    }

    @Test
    void roleGrantsExactlyTheCallsTheCoordinatorMakes() {
        Set<String> granted = new TreeSet<>();
        Manifests.coordinatorRole().getRules().forEach(rule -> rule.getResources().forEach(resource -> {
            assertTrue(rule.getApiGroups().contains(SourceFacts.apiGroup(resource)), resource + " is in API group '" + SourceFacts.apiGroup(resource) + "'");
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), "rules are per resource type");
            rule.getVerbs().forEach(verb -> granted.add(resource + " " + verb));
        }));
        Set<String> called = SourceFacts.coordinatorKubernetesCalls();
        Set<String> notGranted = new TreeSet<>(called);
        notGranted.removeAll(granted);
        assertEquals(Set.of(), notGranted, "the coordinator calls these and the Role does not grant them");
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(called);
        assertEquals(Set.of(), unused, "granted but never called (least privilege); calls: " + called);
    }

    @Test
    void gracePeriodOutlastsThePrestopTimeout() {
        V1PodSpec pod = Manifests.redisStatefulSet().getSpec().getTemplate().getSpec();
        Duration timeout = AgentConfig.DEFAULT_PRESTOP_TIMEOUT;
        V1Container agent = Manifests.container(pod.getInitContainers(), "agent");
        assertTrue(agent.getEnv().stream().noneMatch(e -> e.getName().startsWith("WARDEN_PRESTOP_TIMEOUT")),
                "the preStop timeout is the agent's default; setting it here would need this check to parse it");
        assertNotNull(pod.getTerminationGracePeriodSeconds());
        assertTrue(pod.getTerminationGracePeriodSeconds() > timeout.toSeconds(),
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " must exceed the preStop timeout " + timeout);
    }

    @Test
    void agentIsANativeSidecarStartedAfterRestore() {
        List<V1Container> init = Manifests.redisStatefulSet().getSpec().getTemplate().getSpec().getInitContainers();
        assertEquals(List.of("restore", "agent"), init.stream().map(V1Container::getName).toList());
        assertEquals("Always", init.get(1).getRestartPolicy(), "the agent must be a native sidecar to outlive Redis's preStop");
        assertNull(init.get(0).getRestartPolicy(), "restore runs to completion before anything else starts");
        assertEquals(List.of("agent", "restore", "--data-dir", "/data", "--allow-empty"), init.get(0).getArgs());
        assertEquals(List.of("agent"), init.get(1).getArgs());
        assertEquals("/data", envValue(init.get(1), "WARDEN_DATA_DIR"));
        assertTrue(mountPaths(init.get(0)).contains("/data") && mountPaths(init.get(1)).contains("/data"),
                "restore and agent see Redis's data directory");
    }

    @Test
    void probesAndPreStopCallTheAgentWhereItListens() {
        V1PodSpec pod = Manifests.redisStatefulSet().getSpec().getTemplate().getSpec();
        V1Container agent = Manifests.container(pod.getInitContainers(), "agent");
        V1Container redis = Manifests.container(pod.getContainers(), "redis");
        int port = AgentConfig.DEFAULT_HTTP_PORT;
        assertEquals(String.valueOf(port), envValue(agent, "WARDEN_HTTP_PORT"));
        assertEquals(List.of(port), agent.getPorts().stream().map(V1ContainerPort::getContainerPort).toList());

        assertEquals("/live", agent.getLivenessProbe().getHttpGet().getPath(), "the agent's own liveness");
        assertNull(agent.getReadinessProbe(), "a sidecar's readiness would gate the pod; Redis's /ready does");
        assertEquals("/health", redis.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", redis.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/v1/lifecycle/prestop", redis.getLifecycle().getPreStop().getHttpGet().getPath());
        for (V1HTTPGetAction get : List.of(agent.getLivenessProbe().getHttpGet(), redis.getLivenessProbe().getHttpGet(),
                redis.getReadinessProbe().getHttpGet(), redis.getLifecycle().getPreStop().getHttpGet())) {
            assertEquals(port, get.getPort().getIntValue(), get.getPath() + " must name the agent's port by number (another container's)");
        }
    }

    @Test
    void coordinatorProbesPortsAndWebhookLineUp() {
        V1Deployment deployment = Manifests.coordinatorDeployment();
        V1Container coordinator = Manifests.container(deployment.getSpec().getTemplate().getSpec().getContainers(), "coordinator");
        assertEquals(2, deployment.getSpec().getReplicas(), "two coordinators, one leading");
        assertEquals(List.of("coordinator"), coordinator.getArgs());
        assertEquals(String.valueOf(CoordinatorConfig.DEFAULT_HTTP_PORT), envValue(coordinator, "WARDEN_HTTP_PORT"));
        assertEquals(String.valueOf(WebhookConfig.DEFAULT_PORT), envValue(coordinator, "WARDEN_WEBHOOK_PORT"));
        assertEquals("kubernetes", envValue(coordinator, "WARDEN_ELECTION"));
        assertEquals("/health", coordinator.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", coordinator.getReadinessProbe().getHttpGet().getPath());
        assertEquals(CoordinatorConfig.DEFAULT_HTTP_PORT, coordinator.getReadinessProbe().getHttpGet().getPort().getIntValue());
        assertNotNull(coordinator.getResources().getLimits().get("memory"), "a memory limit: the JVM sizes its heap from it");

        var webhook = Manifests.models(Manifests.base(), io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration.class).get(0).getWebhooks().get(0);
        assertEquals(WebhookServer.PATH, webhook.getClientConfig().getService().getPath());
        V1Service service = Manifests.one(Manifests.base(), V1Service.class, "warden-coordinator");
        assertEquals(webhook.getClientConfig().getService().getName(), service.getMetadata().getName());
        var webhookPort = service.getSpec().getPorts().stream().filter(p -> p.getPort().equals(webhook.getClientConfig().getService().getPort()))
                .findFirst().orElseThrow(() -> new AssertionError("the Service has no port " + webhook.getClientConfig().getService().getPort()));
        assertEquals(WebhookConfig.DEFAULT_PORT, webhookPort.getTargetPort().getIntValue());
        assertEquals("None", webhook.getSideEffects());
        assertTrue(webhook.getTimeoutSeconds() != null && webhook.getTimeoutSeconds() <= 10, "a bounded timeout");
        assertEquals(List.of("v1"), webhook.getAdmissionReviewVersions());
        assertEquals("true", webhook.getObjectSelector().getMatchExpressions().get(0).getValues().get(0));
        assertEquals("warden.io/inject", webhook.getObjectSelector().getMatchExpressions().get(0).getKey());
    }

    @Test
    void filesTheCoordinatorReadsAreMountedWhereItLooks() {
        V1PodSpec pod = Manifests.coordinatorDeployment().getSpec().getTemplate().getSpec();
        V1Container coordinator = Manifests.container(pod.getContainers(), "coordinator");
        Map<String, String> expectedSource = Map.of(
                "WARDEN_TOKEN_FILE", "secret warden/token",
                "WARDEN_WEBHOOK_CERT_FILE", "secret warden-webhook-tls/tls.crt",
                "WARDEN_WEBHOOK_KEY_FILE", "secret warden-webhook-tls/tls.key",
                "WARDEN_WEBHOOK_TEMPLATE_FILE", "configMap warden-injection/template.yaml");
        expectedSource.forEach((variable, source) -> assertEquals(source, fileSource(pod, coordinator, envValue(coordinator, variable)), variable));
        V1PodSpec redisPod = Manifests.redisStatefulSet().getSpec().getTemplate().getSpec();
        V1Container agent = Manifests.container(redisPod.getInitContainers(), "agent");
        assertEquals("secret warden/token", fileSource(redisPod, agent, envValue(agent, "WARDEN_TOKEN_FILE")));
        assertEquals("secret warden/redis-password", fileSource(redisPod, agent, envValue(agent, "WARDEN_REDIS_PASSWORD_FILE")));
    }

    /** "secret NAME/KEY" or "configMap NAME/KEY" for a file path inside a container. */
    private static String fileSource(V1PodSpec pod, V1Container container, String path) {
        V1VolumeMount mount = container.getVolumeMounts().stream().filter(m -> path.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is on no volume of " + container.getName()));
        String key = path.substring(mount.getMountPath().length() + 1);
        V1Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        if (volume.getSecret() != null) {
            if (volume.getSecret().getItems() != null && !volume.getSecret().getItems().isEmpty()) {
                assertTrue(volume.getSecret().getItems().stream().anyMatch(i -> i.getPath().equals(key)), path);
            }
            return "secret " + volume.getSecret().getSecretName() + "/" + key;
        }
        return "configMap " + volume.getConfigMap().getName() + "/" + key;
    }

    private static Set<String> mountPaths(V1Container c) {
        Set<String> paths = new TreeSet<>();
        Stream.ofNullable(c.getVolumeMounts()).flatMap(List::stream).map(V1VolumeMount::getMountPath).forEach(paths::add);
        return paths;
    }

    @Test
    void secretsAreReferencedNeverInlined() {
        assertTrue(Manifests.all().stream().noneMatch(d -> d.kind().equals("Secret")), "no Secret objects: the operator creates them");
        Pattern secretish = Pattern.compile("(?i).*(PASSWORD|TOKEN|SECRET|ACCESS_KEY).*");
        List<V1Container> all = new ArrayList<>(agentContainers());
        all.addAll(coordinatorContainers());
        all.add(Manifests.container(Manifests.redisStatefulSet().getSpec().getTemplate().getSpec().getContainers(), "redis"));
        for (V1Container c : all) {
            for (V1EnvVar e : Stream.ofNullable(c.getEnv()).flatMap(List::stream).toList()) {
                if (secretish.matcher(e.getName()).matches() && !e.getName().endsWith("_FILE")) {
                    assertNull(e.getValue(), c.getName() + " " + e.getName() + " must come from a Secret, not a literal");
                    assertNotNull(e.getValueFrom().getSecretKeyRef(), c.getName() + " " + e.getName());
                }
            }
        }
    }

    @Test
    void redisArgumentsExpandOnlyDefinedVariables() {
        V1Container redis = Manifests.container(Manifests.redisStatefulSet().getSpec().getTemplate().getSpec().getContainers(), "redis");
        Set<String> defined = envNames(List.of(redis));
        Pattern reference = Pattern.compile("\\$\\(([A-Z0-9_]+)\\)");
        for (String arg : redis.getArgs()) {
            reference.matcher(arg).results().forEach(m -> assertTrue(defined.contains(m.group(1)), arg + " names an undefined variable"));
        }
        assertTrue(redis.getArgs().containsAll(List.of("--requirepass", "--masterauth")), "one password for both, from one Secret");
    }

    @Test
    void replicationServicesSelectTheLabelTheCoordinatorSets() {
        List<V1Service> services = Manifests.models(Manifests.under("overlays/replication"), V1Service.class);
        Map<String, String> expected = Map.of("redis-master", Role.MASTER.wireName(), "redis-replicas", Role.REPLICA.wireName());
        expected.forEach((name, role) -> {
            V1Service service = services.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
            assertEquals(role, service.getSpec().getSelector().get(RoleLabeler.ROLE_LABEL), name);
            assertEquals("redis", service.getSpec().getSelector().get("app.kubernetes.io/name"), name);
        });
    }

    @Test
    void redisPodsAreSpreadAndBudgeted() {
        V1PodSpec pod = Manifests.redisStatefulSet().getSpec().getTemplate().getSpec();
        Set<String> keys = new TreeSet<>();
        pod.getTopologySpreadConstraints().forEach(c -> keys.add(c.getTopologyKey()));
        assertEquals(Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone"), keys);
        var pdb = Manifests.one(Manifests.base(), io.kubernetes.client.openapi.models.V1PodDisruptionBudget.class, "redis");
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntValue());
        assertEquals(Manifests.redisStatefulSet().getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        assertTrue(Objects.requireNonNull(Manifests.redisStatefulSet().getSpec().getVolumeClaimTemplates()).stream()
                .anyMatch(t -> "data".equals(t.getMetadata().getName())), "a volumeClaimTemplate for Redis's data");
    }
}
