package io.warden.coordinator.local;

import io.warden.coordinator.local.LocalState.LocalNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/warden up} and {@code down}: real redis-server processes, an agent each and one coordinator,
 * each its own process, state in {@code --dir}.
 * <ol>
 *   <li>{@code up} on a new directory lays the deployment out and writes its state and a random token;</li>
 *   <li>{@code up} on an existing one adopts it: whatever is running stays, whatever stopped starts again on
 *       the same address with its data;</li>
 *   <li>{@code down} stops the coordinator, then the agents, then Redis (SIGTERM: Redis saves), keeping data.</li>
 * </ol>
 */
public final class LocalDeployment {

    private final Path dir;
    private final LocalProcesses processes;
    private final Programs programs;

    public LocalDeployment(Path dir, Programs programs) {
        this.dir = dir.toAbsolutePath();
        this.processes = new LocalProcesses(this.dir);
        this.programs = programs;
    }

    /** What {@code up} did: the state, and the names of the processes it (re)started. */
    public record Started(LocalState state, List<String> started, boolean adopted) {
    }

    public Started up(LocalState wanted) {
        boolean adopted = LocalState.read(dir).isPresent();
        LocalState state = LocalState.read(dir).orElse(wanted);
        if (!adopted) {
            state.write(dir);
            writeToken();
        }
        List<String> started = new ArrayList<>();
        for (LocalNode node : state.nodes()) {
            started.addAll(startNode(state, node));
        }
        if (processes.running("coordinator").isEmpty()) {
            requireFree(state.coordinatorHost(), state.coordinatorPort(), "coordinator");
            processes.start("coordinator", programs.java("coordinator"), coordinatorEnv(state), dir.resolve("coordinator"));
            started.add("coordinator");
        }
        return new Started(state, started, adopted);
    }

    /** Starts the Redis and agent of {@code node} unless running; answers the processes started. */
    public List<String> startNode(LocalState state, LocalNode node) {
        List<String> started = new ArrayList<>();
        if (processes.running(redisName(node)).isEmpty()) {
            requireFree(node.host(), node.redisPort(), "redis of " + node.name());
            processes.start(redisName(node), redisCommand(state, node), Map.of(), dataDir(node));
            started.add(redisName(node));
        }
        if (processes.running(agentName(node)).isEmpty()) {
            requireFree(node.host(), node.agentPort(), "agent of " + node.name());
            processes.start(agentName(node), programs.java("agent"), agentEnv(state, node), dataDir(node));
            started.add(agentName(node));
        }
        return started;
    }

    /** Stops the agent, then the Redis of a node that holds nothing any more, and deletes its directory. */
    public void retireNode(LocalNode node) {
        processes.stop(agentName(node), 10);
        processes.stop(redisName(node), 30);
        try (var files = java.nio.file.Files.walk(dataDir(node))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }

    /** Stops everything {@code up} started; answers the names of the processes that were running. */
    public List<String> down() {
        LocalState state = LocalState.read(dir).orElseThrow(() -> new IllegalStateException("no deployment in " + dir));
        List<String> stopped = new ArrayList<>();
        if (processes.stop("coordinator", 10)) {
            stopped.add("coordinator");
        }
        for (LocalNode node : state.nodes()) {
            if (processes.stop(agentName(node), 10)) {
                stopped.add(agentName(node));
            }
        }
        for (LocalNode node : state.nodes()) {
            if (processes.stop(redisName(node), 30)) {
                stopped.add(redisName(node));
            }
        }
        return stopped;
    }

    public Path dir() {
        return dir;
    }

    public Path log(String process) {
        return processes.log(process);
    }

    private List<String> redisCommand(LocalState state, LocalNode node) {
        Path data = dataDir(node);
        List<String> cmd = new ArrayList<>(List.of(programs.redisServer(),
                "--bind", node.host(), "--port", Integer.toString(node.redisPort()),
                "--dir", data.toString(), "--logfile", data.resolve("redis.log").toString(),
                "--daemonize", "no", "--protected-mode", "no",
                // Durable enough to survive `down` and `up` and a kill -9 (an fsync a second).
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "900 1 300 10 60 10000",
                // Every node shares the port on its own address, and outgoing connections leave from
                // 127.0.0.1: announce the real address, or peers record 127.0.0.1.
                "--replica-announce-ip", node.host(),
                "--repl-diskless-sync-delay", "0"));
        if ("cluster".equals(state.mode())) {
            cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", data.resolve("nodes.conf").toString(),
                    "--cluster-announce-ip", node.host()));
        }
        // What the agent decided a restart must do (a glob: missing is fine): a master with replicas returns as a
        // replica (replication mode) or under its start guard (cluster mode), never as the source of an empty resync.
        cmd.addAll(List.of("--include", data.resolve("warden-role*.conf").toString()));
        return cmd;
    }

    private Map<String, String> agentEnv(LocalState state, LocalNode node) {
        return Map.ofEntries(
                // Snapshots (bin/warden snapshot) go next to the deployment, as to a PVC.
                Map.entry("WARDEN_SNAPSHOT_TARGET", dir.resolve("snapshots").toUri().toString()),
                Map.entry("WARDEN_DEPLOYMENT", "local"),
                Map.entry("WARDEN_REDIS_HOST", node.host()),
                Map.entry("WARDEN_REDIS_PORT", Integer.toString(node.redisPort())),
                Map.entry("WARDEN_HTTP_HOST", node.host()),
                Map.entry("WARDEN_HTTP_PORT", Integer.toString(node.agentPort())),
                Map.entry("POD_NAME", node.name()),
                Map.entry("NODE_NAME", node.k8sNode()),
                Map.entry("WARDEN_COORDINATOR", state.coordinatorUrl()),
                Map.entry("WARDEN_TOKEN_FILE", dir.resolve("token").toString()),
                Map.entry("WARDEN_DATA_DIR", dataDir(node).toString()),
                // No container limit to derive maxmemory from on a workstation.
                Map.entry("WARDEN_MAXMEMORY_RATIO", "0"));
    }

    private Map<String, String> coordinatorEnv(LocalState state) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "WARDEN_MODE", state.mode(),
                "WARDEN_SHARDS", Integer.toString(state.shards()),
                "WARDEN_REPLICAS", Integer.toString(state.replicas()),
                "WARDEN_HTTP_HOST", state.coordinatorHost(),
                "WARDEN_HTTP_PORT", Integer.toString(state.coordinatorPort()),
                "POD_NAME", "coordinator",
                "WARDEN_ELECTION", "local",
                "WARDEN_STATE_DIR", dir.resolve("coordinator").toString(),
                "WARDEN_TOKEN_FILE", dir.resolve("token").toString()));
        // A scale request has the coordinator start and stop nodes itself, as up does.
        env.put("WARDEN_LOCAL_DIR", dir.toString());
        env.put("WARDEN_HOME", programs.home().toString());
        env.put("WARDEN_JAVA_OPTS", programs.agentOptions());
        return env;
    }

    private Path dataDir(LocalNode node) {
        return dir.resolve(node.name());
    }

    private static String redisName(LocalNode node) {
        return node.name() + "-redis";
    }

    private static String agentName(LocalNode node) {
        return node.name() + "-agent";
    }

    private void writeToken() {
        try {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Path token = dir.resolve("token");
            Files.writeString(token, HexFormat.of().formatHex(random));
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token in " + dir, e);
        }
    }

    private static void requireFree(String host, int port, String what) {
        if (!LocalProcesses.free(host, port)) {
            throw new IllegalStateException(host + ":" + port + " (for the " + what + ") is already in use by another program");
        }
    }
}
