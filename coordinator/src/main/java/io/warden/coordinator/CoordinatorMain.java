package io.warden.coordinator;

import io.kubernetes.client.openapi.ApiClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.lifecycle.Shutdown;
import io.warden.coordinator.election.LeaderElection;
import io.warden.coordinator.election.LeaseElection;
import io.warden.coordinator.election.LeaseSettings;
import io.warden.coordinator.election.LocalElection;
import io.warden.coordinator.kube.KubeClients;
import io.warden.coordinator.kube.RoleLabeler;
import io.warden.coordinator.kube.ConfigMapShapeStore;
import io.warden.coordinator.kube.RolePublisher;
import io.warden.coordinator.kube.StatefulSetPool;
import io.warden.coordinator.local.LocalNodePool;
import io.warden.coordinator.local.Programs;
import io.warden.coordinator.scale.FileShapeStore;
import io.warden.coordinator.scale.NodePool;
import io.warden.coordinator.scale.ScaleSupport;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.webhook.InjectionTemplate;
import io.warden.coordinator.webhook.WebhookConfig;
import io.warden.coordinator.webhook.WebhookServer;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code warden coordinator}: reads the environment once, deploys the coordinator, runs until SIGTERM. */
final class CoordinatorMain {

    private CoordinatorMain() {
    }

    static void run() {
        CoordinatorConfig config = CoordinatorConfig.fromEnv(Env.system());
        Optional<WebhookConfig> webhook = WebhookConfig.fromEnv(Env.system());
        Optional<InjectionTemplate> template = webhook.map(w -> InjectionTemplate.load(w.templateFile()));
        LeaderElection election = election(config);
        Consumer<ClusterView> afterTick = view -> { };
        if (kubernetes(config) && config.desired().mode() == Mode.REPLICATION) {
            afterTick = new RolePublisher(new RoleLabeler(kubeClient()), config.election().namespace());
        }
        // No class-path file resolving: nothing is served from the jar, and its cache directory (vertx-cache-*) would
        // stay in /tmp whenever the JVM is killed.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)));
        vertx.deployVerticle(new CoordinatorVerticle(config, election, Clock.systemUTC(), afterTick, scaling(config)))
                .onFailure(WardenMain::die);
        webhook.ifPresent(w -> vertx.deployVerticle(new WebhookServer(w, template.orElseThrow())).onFailure(WardenMain::die));
        Shutdown.closeOnSigterm(vertx, "warden-coordinator", Duration.ofSeconds(10));
    }

    static LeaderElection election(CoordinatorConfig config) {
        CoordinatorConfig.Election e = config.election();
        if (!kubernetes(config)) {
            return new LocalElection(e.stateDir(), config.identity(), config.advertisedUrl(), Clock.systemUTC());
        }
        try {
            return new LeaseElection(kubeClient(), new LeaseSettings(e.namespace(), e.leaseName(), config.identity(),
                    config.advertisedUrl(), e.leaseDuration(), e.renewDeadline(), e.retryPeriod()));
        } catch (IllegalArgumentException bad) {
            throw new ConfigException("WARDEN_LEASE_DURATION_MS", bad.getMessage());
        }
    }

    /**
     * Where a requested shape is kept and who runs the nodes. Kubernetes: a ConfigMap, and the StatefulSet named by
     * WARDEN_STATEFULSET when set. Local mode started by bin/warden up (WARDEN_LOCAL_DIR): the state dir and the
     * processes. Otherwise the state dir, and nodes someone else runs.
     */
    private static ScaleSupport scaling(CoordinatorConfig config) {
        Env env = Env.system();
        if (kubernetes(config)) {
            ApiClient client = kubeClient();
            String namespace = config.election().namespace();
            NodePool pool = env.optional("WARDEN_STATEFULSET")
                    .<NodePool>map(name -> new StatefulSetPool(client, namespace, name))
                    .orElse(NodePool.EXTERNAL);
            return new ScaleSupport(new ConfigMapShapeStore(client, namespace, env.string("WARDEN_SHAPE_CONFIGMAP", "warden-shape")), pool);
        }
        Optional<String> localDir = env.optional("WARDEN_LOCAL_DIR");
        if (localDir.isPresent()) {
            Programs programs = new Programs(Path.of(env.string("WARDEN_HOME", ".")), env.string("WARDEN_JAVA_OPTS", ""), "");
            return new ScaleSupport(new FileShapeStore(config.election().stateDir()), new LocalNodePool(Path.of(localDir.get()), programs));
        }
        return ScaleSupport.local(config.election().stateDir());
    }

    private static boolean kubernetes(CoordinatorConfig config) {
        return "kubernetes".equals(config.election().kind());
    }

    /** In a pod: the service account. Elsewhere (a test, a laptop with a proxy): WARDEN_KUBE_API, e.g. kubectl proxy's URL. */
    private static ApiClient kubeClient() {
        String api = System.getenv().getOrDefault("WARDEN_KUBE_API", "");
        try {
            return KubeClients.create(System.getenv(), api);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("WARDEN_KUBE_API", "not in a pod and no API server URL set (e.g. http://127.0.0.1:8001 from kubectl proxy)");
        }
    }
}
