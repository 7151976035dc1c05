package io.warden.coordinator.it;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.warden.agent.AgentConfig;
import io.warden.agent.AgentVerticle;
import io.warden.common.config.Env;
import io.warden.common.log.Logging;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.CoordinatorConfig;
import io.warden.coordinator.CoordinatorVerticle;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.LocalElection;
import io.warden.coordinator.scale.FileShapeStore;
import io.warden.coordinator.scale.NodePool;
import io.warden.coordinator.scale.ScaleSupport;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.Eventually;
import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A whole Warden deployment in one test: real redis-server processes, an agent per Redis (in this JVM, with
 * its own fake Kubernetes node), and a coordinator with local election, all on loopback with fast timings.
 * Agents and the coordinator can be stopped and started again, Redis servers moved to new addresses.
 */
final class TestDeployment implements AutoCloseable {

    static final String TOKEN = "test-token";
    static final Duration HEALTHY_WITHIN = Duration.ofSeconds(60);
    private static final String FAST = "200";

    static {
        Logging.configure();
    }

    private final RedisServers redis;
    private final String mode;
    private final int shards;
    private final int replicas;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path stateDir;
    private final int coordinatorPort = LoopbackPorts.freePort("127.0.0.1");
    private final List<RedisServer> servers = new ArrayList<>();
    private final Map<RedisServer, String> agentDeployments = new HashMap<>();
    private final Map<RedisServer, String> agentUrls = new HashMap<>();
    /** Further agent environment, e.g. a snapshot target. */
    private final Map<String, String> agentEnv = new HashMap<>();
    private String coordinatorDeployment;
    private CoordinatorVerticle coordinator;
    private RedisSpec spec;
    /** Starts and stops Redis servers with their agents when a scale request changes the shape. */
    private final NodePool pool = new TestNodePool();

    private TestDeployment(RedisServers redis, String mode, int shards, int replicas) throws Exception {
        this.redis = redis;
        this.mode = mode;
        this.shards = shards;
        this.replicas = replicas;
        this.stateDir = Files.createTempDirectory("warden-coordinator-");
    }

    /** Starts {@code shards × (1 + replicas)} empty Redis servers with their agents; no coordinator yet. */
    static TestDeployment nodes(RedisServers redis, String mode, int shards, int replicas) throws Exception {
        return nodes(redis, mode, shards, replicas, Map.of());
    }

    /** As above, the agents with {@code agentEnv} added, and Redis with DEBUG enabled (DEBUG DIGEST compares datasets). */
    static TestDeployment nodes(RedisServers redis, String mode, int shards, int replicas, Map<String, String> agentEnv) throws Exception {
        TestDeployment d = new TestDeployment(redis, mode, shards, replicas);
        d.agentEnv.putAll(agentEnv);
        RedisSpec spec = RedisSpec.standalone().withPersistence();
        if (!agentEnv.isEmpty()) {
            spec = spec.withArgs("--enable-debug-command", "yes");
        }
        if ("cluster".equals(mode)) {
            spec = spec.clusterEnabled();
        }
        // What its agent decided a restart must do (StartRoleFile), read from the data directory Redis runs in.
        spec = spec.withArgs("--include", "warden-role*.conf");
        d.spec = spec;
        for (int i = 0; i < shards * (1 + replicas); i++) {
            d.addNode();
        }
        return d;
    }

    /** One more empty Redis server with its agent, named redis-N after its place. */
    synchronized RedisServer addNode() {
        RedisServer server = redis.start(spec);
        servers.add(server);
        startAgent(server);
        return server;
    }

    /**
     * The pool a scale request drives: up to 24 nodes on the three fake Kubernetes nodes. Like a StatefulSet, it
     * releases the highest ordinals, and growing again brings a released one back with its volume (its data directory,
     * nodes.conf included) at a new address, as a pod that returns with its PVC and a new IP.
     */
    private final class TestNodePool implements NodePool {

        /** Servers this pool stopped; any other stopped server was stopped by the test, and stays stopped. */
        private final java.util.Set<RedisServer> released = new java.util.HashSet<>();

        @Override
        public Limits limits() {
            return new Limits(24, "a test deployment runs at most 24 nodes", false);
        }

        @Override
        public List<String> reconcile(DesiredShape shape, java.util.Set<String> retiring, List<String> releasable) {
            synchronized (TestDeployment.this) {
                for (RedisServer server : servers.subList(0, Math.min(servers.size(), shape.nodesNeeded()))) {
                    if (released.remove(server)) {
                        server.restartAt(LoopbackPorts.freeClusterAddress());
                        startAgent(server);
                    }
                }
                while (servers.size() < shape.nodesNeeded()) {
                    addNode();
                }
                List<String> stopped = new ArrayList<>();
                for (String name : releasable) {
                    RedisServer server = servers.get(Integer.parseInt(name.substring(name.lastIndexOf('-') + 1)));
                    stopAgent(server);
                    if (server.running()) {
                        server.stop();
                    }
                    released.add(server);
                    stopped.add(name);
                }
                return stopped;
            }
        }
    }

    List<RedisServer> servers() {
        return List.copyOf(servers);
    }

    /** The fake Kubernetes node of the i-th server: three of them, so that placement matters. */
    static String k8sNode(int index) {
        return "k8s-" + (char) ('a' + index % 3);
    }

    /** The server whose agent is called {@code podName} ("redis-2"). */
    RedisServer server(String podName) {
        return servers.get(Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1)));
    }

    void startAgent(RedisServer server) {
        startAgent(server, coordinatorUrl());
    }

    /** Starts the agent of {@code server} reporting to {@code coordinator} (a link a test can cut). */
    void startAgent(RedisServer server, String coordinator) {
        int index = servers.indexOf(server);
        Map<String, String> env = new HashMap<>();
        env.put("WARDEN_REDIS_HOST", server.host());
        env.put("WARDEN_REDIS_PORT", Integer.toString(server.port()));
        env.put("WARDEN_HTTP_HOST", server.host());
        int agentPort = LoopbackPorts.freePort(server.host());
        env.put("WARDEN_HTTP_PORT", Integer.toString(agentPort));
        agentUrls.put(server, "http://" + server.host() + ":" + agentPort);
        env.put("POD_NAME", "redis-" + index);
        env.put("NODE_NAME", k8sNode(index));
        env.put("WARDEN_COORDINATOR", coordinator);
        env.put("WARDEN_TOKEN", TOKEN);
        env.put("WARDEN_HEARTBEAT_MS", FAST);
        env.put("WARDEN_OBSERVE_INTERVAL_MS", FAST);
        env.put("WARDEN_MAXMEMORY_RATIO", "0");
        env.put("WARDEN_DATA_DIR", server.dataDir().toString());
        env.putAll(agentEnv);
        env.put("WARDEN_PRESTOP_TIMEOUT", "30s");
        AgentVerticle agent = new AgentVerticle(AgentConfig.fromEnv(Env.of(env)), Clock.systemUTC(), e -> { });
        agentDeployments.put(server, await(vertx.deployVerticle(agent)));
    }

    /** Calls the agent's preStop as the kubelet would, and answers its JSON once it returns. */
    JsonObject preStop(RedisServer server) {
        HttpResponse<String> response = send("GET", agentUrl(server) + "/v1/lifecycle/prestop", null, Duration.ofSeconds(60));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("preStop answered " + response.statusCode() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    /** POSTs {@code body} (null: none) to the coordinator with the token; any status. */
    HttpResponse<String> post(String path, String body) {
        return send("POST", coordinatorUrl() + path, body, Duration.ofSeconds(60));
    }

    HttpResponse<String> send(String method, String url, String body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String agentUrl(RedisServer server) {
        return agentUrls.get(server);
    }

    void stopAgent(RedisServer server) {
        String id = agentDeployments.remove(server);
        if (id != null) {
            await(vertx.undeploy(id));
        }
    }

    void startCoordinator() {
        startCoordinator(this::localElection);
    }

    LeaderElection localElection(CoordinatorConfig config) {
        return new LocalElection(stateDir, "coordinator", coordinatorUrl(), Clock.systemUTC());
    }

    void startCoordinator(Function<CoordinatorConfig, LeaderElection> election) {
        startCoordinator(election, view -> { });
    }

    void startCoordinator(Function<CoordinatorConfig, LeaderElection> election, Consumer<ClusterView> afterTick) {
        CoordinatorConfig config = CoordinatorConfig.fromEnv(Env.of(Map.of(
                "WARDEN_MODE", mode,
                "WARDEN_SHARDS", Integer.toString(shards),
                "WARDEN_REPLICAS", Integer.toString(replicas),
                "WARDEN_HTTP_HOST", "127.0.0.1",
                "WARDEN_HTTP_PORT", Integer.toString(coordinatorPort),
                "WARDEN_TOKEN", TOKEN,
                "WARDEN_HEARTBEAT_MS", FAST,
                "WARDEN_RECONCILE_MS", FAST,
                "WARDEN_STATE_DIR", stateDir.toString(),
                "POD_NAME", "coordinator")));
        coordinator = new CoordinatorVerticle(config, election.apply(config), Clock.systemUTC(), afterTick,
                new ScaleSupport(new FileShapeStore(stateDir), pool));
        coordinatorDeployment = await(vertx.deployVerticle(coordinator));
    }

    void stopCoordinator() {
        if (coordinatorDeployment != null) {
            await(vertx.undeploy(coordinatorDeployment));
            coordinatorDeployment = null;
        }
    }

    /** The coordinator's port, known before it starts (a test may put a link it can cut in front of it). */
    static String coordinatorPort(TestDeployment d) {
        return Integer.toString(d.coordinatorPort);
    }

    String coordinatorUrl() {
        return "http://127.0.0.1:" + coordinatorPort;
    }

    TopologyDocument topology() {
        return WireJson.decode(get("/v1/topology"), TopologyDocument.class);
    }

    TopologyDocument awaitHealthy() {
        Eventually.await(HEALTHY_WITHIN, "a healthy " + mode + " deployment", () -> topology().healthy(),
                () -> String.join("; ", topology().problems()));
        return topology();
    }

    String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(coordinatorUrl() + path))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // A deploy or undeploy that hangs (once on CI, undeploying an agent) shows where in the threads' stacks.
            System.out.println("no answer within 30 s; threads:\n" + threadDump());
            throw new IllegalStateException("no answer within 30 s (thread dump in the test's output)", e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }

    @Override
    public void close() {
        try {
            await(vertx.close());
        } finally {
            redis.close();
            try (var files = Files.walk(stateDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                // a leftover temp dir is not worth failing a test for
            }
        }
    }
}
