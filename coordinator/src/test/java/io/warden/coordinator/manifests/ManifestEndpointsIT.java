package io.warden.coordinator.manifests;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warden.agent.AgentConfig;
import io.warden.agent.AgentVerticle;
import io.warden.common.config.Env;
import io.warden.coordinator.CoordinatorConfig;
import io.warden.coordinator.election.LocalElection;
import io.warden.coordinator.CoordinatorVerticle;
import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the manifests call, called on running processes: the probe and preStop paths on a real agent next to a
 * real Redis, the coordinator's probes, every metric the alerts and the dashboard query, and the commands the
 * containers run.
 */
class ManifestEndpointsIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private String startAgent(RedisServer server) throws Exception {
        int port = LoopbackPorts.freePort(server.host());
        // Scheduled snapshots as the manifests configure them, so their metrics (interval included) are exported.
        Path snapshots = Files.createTempDirectory("warden-snapshots-");
        dirs.add(snapshots);
        Map<String, String> env = Map.of("WARDEN_REDIS_HOST", server.host(), "WARDEN_REDIS_PORT", Integer.toString(server.port()),
                "WARDEN_HTTP_HOST", server.host(), "WARDEN_HTTP_PORT", Integer.toString(port), "POD_NAME", "redis-" + server.port(),
                "WARDEN_OBSERVE_INTERVAL_MS", "200", "WARDEN_MAXMEMORY_RATIO", "0",
                "WARDEN_SNAPSHOT_TARGET", snapshots.toUri().toString(), "WARDEN_SNAPSHOT_INTERVAL", "1h");
        await(vertx.deployVerticle(new AgentVerticle(AgentConfig.fromEnv(Env.of(env)), Clock.systemUTC(), e -> { })));
        String url = "http://" + server.host() + ":" + port;
        awaitStatus(url + "/live", 200);
        return url;
    }

    private String startCoordinator() throws Exception {
        Path state = Files.createTempDirectory("warden-coordinator-");
        dirs.add(state);
        int port = LoopbackPorts.freePort("127.0.0.1");
        Map<String, String> env = Map.of("WARDEN_ELECTION", "local", "WARDEN_STATE_DIR", state.toString(),
                "WARDEN_HTTP_HOST", "127.0.0.1", "WARDEN_HTTP_PORT", Integer.toString(port), "POD_NAME", "coordinator-0");
        CoordinatorConfig config = CoordinatorConfig.fromEnv(Env.of(env));
        await(vertx.deployVerticle(new CoordinatorVerticle(config, new LocalElection(config.election().stateDir(), config.identity(), config.advertisedUrl(), Clock.systemUTC()), Clock.systemUTC(), view -> { })));
        String url = "http://127.0.0.1:" + port;
        awaitStatus(url + "/ready", 200);
        return url;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The status of GET url, or empty when it had not answered within {@code timeout} (a blocking endpoint). */
    private Optional<HttpResponse<String>> get(String url, Duration timeout) throws Exception {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (HttpTimeoutException e) {
            return Optional.empty();
        }
    }

    private void awaitStatus(String url, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == status) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " answered " + last + ", not " + status + ", within 30 s");
    }

    /** Every httpGet of a probe or hook in a pod spec: path and the port number it names. */
    private static Map<String, Integer> httpGets(V1PodSpec pod) {
        Map<String, Integer> gets = new LinkedHashMap<>();
        List<V1Container> containers = new ArrayList<>(pod.getContainers());
        containers.addAll(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()));
        for (V1Container c : containers) {
            Stream.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()).filter(Objects::nonNull).map(V1Probe::getHttpGet)
                    .filter(Objects::nonNull).forEach(g -> gets.put(g.getPath(), g.getPort().getIntValue()));
            if (c.getLifecycle() != null && c.getLifecycle().getPreStop() != null && c.getLifecycle().getPreStop().getHttpGet() != null) {
                V1HTTPGetAction g = c.getLifecycle().getPreStop().getHttpGet();
                gets.put(g.getPath(), g.getPort().getIntValue());
            }
        }
        return gets;
    }

    @Test
    void agentServesEveryPathTheRedisPodCalls() throws Exception {
        String agent = startAgent(redis.start(RedisSpec.standalone()));
        awaitStatus(agent + "/ready", 200);
        Map<String, Integer> gets = httpGets(Manifests.redisStatefulSet().getSpec().getTemplate().getSpec());
        assertEquals(Set.of("/live", "/health", "/ready", "/v1/lifecycle/prestop"), gets.keySet());
        for (Map.Entry<String, Integer> get : gets.entrySet()) {
            assertEquals(AgentConfig.DEFAULT_HTTP_PORT, get.getValue(), get.getKey());
            // preStop blocks until it is safe to stop: no answer in time still means the route is there.
            Optional<HttpResponse<String>> answer = get(agent + get.getKey(), Duration.ofSeconds(10));
            boolean served = answer.map(r -> r.statusCode() != 404).orElse(true);
            assertTrue(served, "the agent does not serve " + get.getKey());
            if (!get.getKey().startsWith("/v1/")) {
                assertEquals(200, answer.orElseThrow().statusCode(), get.getKey() + " on a healthy standalone Redis: " + answer.get().body());
            }
        }
    }

    @Test
    void coordinatorServesItsProbesAndMetrics() throws Exception {
        String coordinator = startCoordinator();
        Map<String, Integer> gets = httpGets(Manifests.coordinatorDeployment().getSpec().getTemplate().getSpec());
        assertEquals(Set.of("/health", "/ready"), gets.keySet());
        for (Map.Entry<String, Integer> get : gets.entrySet()) {
            assertEquals(CoordinatorConfig.DEFAULT_HTTP_PORT, get.getValue(), get.getKey());
            assertEquals(200, get(coordinator + get.getKey(), Duration.ofSeconds(5)).orElseThrow().statusCode(), get.getKey());
        }
        assertNotEquals(404, get(coordinator + "/metrics", Duration.ofSeconds(5)).orElseThrow().statusCode());
    }

    /** Metric names a query reads: label matchers, grouping clauses and functions stripped first. */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\\{[^}]*}", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Pattern.compile("\\b(?:redis|warden)_[a-zA-Z0-9_]+").matcher(bare).results().forEach(m -> names.add(m.group()));
        return names;
    }

    @Test
    void everyMetricTheAlertsAndDashboardQueryIsExported() throws Exception {
        RedisServer clusterNode = redis.start(RedisSpec.standalone().clusterEnabled());
        RedisServer master = redis.start(RedisSpec.standalone());
        RedisServer replica = redis.startReplicaInSync(RedisSpec.standalone().replicaOf(master), master);
        Set<String> exported = new TreeSet<>();
        for (String url : List.of(startAgent(clusterNode), startAgent(master), startAgent(replica), startCoordinator())) {
            String text = get(url + "/metrics", Duration.ofSeconds(5)).orElseThrow().body();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        Set<String> queried = new TreeSet<>();
        for (String query : ManifestParseTest.monitoringQueries()) {
            queried.addAll(metricNames(query));
        }
        assertTrue(queried.size() > 15, "queries were read: " + queried);
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "queried but exported by no agent or coordinator");
    }

    @Test
    void restoreCommandIsOneTheAgentJarKnows() throws Exception {
        Path data = Files.createTempDirectory("warden-restore-");
        dirs.add(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.warden.agent.AgentMain",
                "agent", "restore", "--data-dir", data.toString(), "--allow-empty")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            boolean finished = process.waitFor(60, TimeUnit.SECONDS);
            String output = finished ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            assertTrue(finished, "agent restore on an empty directory with --allow-empty did not finish within 60 s");
            boolean known = !output.contains("unknown command");
            assertTrue(known, "the agent jar does not know `agent restore`: " + output);
            if (known) {
                assertEquals(0, process.exitValue(), "an empty directory with --allow-empty is fine: " + output);
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
