package io.warden.coordinator.cli;

import io.warden.common.config.Env;
import io.warden.coordinator.local.LocalDeployment;
import io.warden.coordinator.local.LocalLayout;
import io.warden.coordinator.local.LocalState;
import io.warden.coordinator.local.Programs;
import io.warden.coordinator.topology.TopologyDocument;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code bin/warden up} and {@code bin/warden down}: the embedded default, on this machine's loopback. */
public final class LocalCommands {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);

    private LocalCommands() {
    }

    public static int up(List<String> argv) {
        Args args = Args.parse("up", argv, Set.of("mode", "shards", "replicas", "dir"), Set.of());
        String mode = args.oneOf("mode", "cluster", Set.of("cluster", "replication"));
        int shards = args.integer("shards", "cluster".equals(mode) ? 3 : 1, 1, 100);
        if ("replication".equals(mode) && shards != 1) {
            throw new Args.UsageError("up", "--shards must be 1 in replication mode (one master and its replicas), got " + shards);
        }
        int replicas = args.integer("replicas", 1, 0, 20);
        Path dir = Path.of(args.value("dir", ".warden"));
        Optional<LocalState> existing = LocalState.read(dir);
        if (existing.isPresent() && (args.has("mode") || args.has("shards") || args.has("replicas"))
                && !sameShape(existing.get(), mode, shards, replicas)) {
            throw new Args.UsageError("up", dir + " already holds a " + existing.get().mode() + " deployment of "
                    + existing.get().shards() + " shards x " + existing.get().replicas() + " replicas; use another --dir, or bin/warden down and remove it");
        }
        LocalState wanted;
        try {
            wanted = LocalLayout.plan(LocalLayout.net(Env.system()), mode, shards, replicas);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageError("up", e.getMessage());
        }
        long start = System.nanoTime();
        LocalDeployment deployment = new LocalDeployment(dir, programs());
        LocalDeployment.Started started;
        try {
            started = deployment.up(wanted);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("bin/warden up: " + e.getMessage());
            return 1;
        }
        System.out.println((started.adopted() ? "adopted " : "created ") + started.state().mode() + " deployment in " + deployment.dir()
                + (started.started().isEmpty() ? " (everything was running)" : "; started " + started.started().size() + " processes"));
        CoordinatorClient client = new CoordinatorClient(java.net.URI.create(started.state().coordinatorUrl()), LocalState.token(dir));
        Optional<TopologyDocument> healthy = awaitHealthy(client);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (healthy.isEmpty()) {
            System.err.printf("bin/warden up: not healthy after %.0f s; see bin/warden status and the logs in %s%n",
                    seconds, deployment.dir().resolve("logs"));
            try {
                System.err.print(StatusTable.render(client.topology()));
            } catch (IOException e) {
                System.err.println("the coordinator does not answer: " + e.getMessage() + " (log: " + deployment.log("coordinator") + ")");
            }
            return 1;
        }
        System.out.printf("healthy in %.1f s%n%n", seconds);
        System.out.print(StatusTable.render(healthy.get()));
        System.out.println();
        System.out.println("coordinator: " + started.state().coordinatorUrl() + "   (token in " + deployment.dir().resolve("token") + ")");
        System.out.println("next: bin/warden status    bin/warden down" + (dir.equals(Path.of(".warden")) ? "" : " --dir " + dir));
        return 0;
    }

    public static int down(List<String> argv) {
        Args args = Args.parse("down", argv, Set.of("dir"), Set.of());
        Path dir = Path.of(args.value("dir", ".warden"));
        if (LocalState.read(dir).isEmpty()) {
            System.err.println("bin/warden down: no deployment in " + dir.toAbsolutePath());
            return 1;
        }
        List<String> stopped = new LocalDeployment(dir, programs()).down();
        System.out.println(stopped.isEmpty() ? "nothing was running in " + dir.toAbsolutePath()
                : "stopped " + stopped.size() + " processes: " + String.join(", ", stopped) + "; data kept in " + dir.toAbsolutePath());
        return 0;
    }

    private static boolean sameShape(LocalState state, String mode, int shards, int replicas) {
        return state.mode().equals(mode) && state.shards() == shards && state.replicas() == replicas;
    }

    static Optional<TopologyDocument> awaitHealthy(CoordinatorClient client) {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TopologyDocument doc = client.topology();
                if (doc.healthy()) {
                    return Optional.of(doc);
                }
            } catch (IOException e) {
                // The coordinator is still starting.
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The programs bin/warden points at: warden.home (or WARDEN_HOME), and its JVM flags. */
    public static Programs programs() {
        String home = System.getProperty("warden.home", System.getenv().getOrDefault("WARDEN_HOME", "."));
        return new Programs(Path.of(home), System.getenv().getOrDefault("WARDEN_JAVA_OPTS", ""),
                System.getenv().getOrDefault("WARDEN_COORDINATOR_JAVA_OPTS", ""));
    }
}
