package io.warden.coordinator.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The programs local mode runs: {@code redis-server} from PATH, and Warden's jars run by this JVM's own
 * {@code java} with the flags bin/warden chose ({@code WARDEN_JAVA_OPTS} for agents,
 * {@code WARDEN_COORDINATOR_JAVA_OPTS} for the coordinator). A missing one is an error naming what to
 * install or build.
 */
public final class Programs {

    private final Path home;
    private final String agentOptionsText;
    private final List<String> agentOptions;
    private final List<String> coordinatorOptions;

    /**
     * @param home               the repository (holds agent/target and coordinator/target)
     * @param agentOptions       JVM flags for the agents
     * @param coordinatorOptions JVM flags for the coordinator
     */
    public Programs(Path home, String agentOptions, String coordinatorOptions) {
        this.home = home;
        this.agentOptionsText = agentOptions;
        this.agentOptions = words(agentOptions);
        this.coordinatorOptions = words(coordinatorOptions);
    }

    private static List<String> words(String options) {
        return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }

    public Path home() {
        return home;
    }

    /** The agents' JVM flags as given. */
    public String agentOptions() {
        return agentOptionsText;
    }

    public String redisServer() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed: install the Debian package redis-server "
                + "(bin/warden up installs it when run as root)");
    }

    /** {@code java <flags> -jar <the jar for command> <command>}. */
    public List<String> java(String command) {
        Path jar = "agent".equals(command) ? home.resolve("agent/target/warden-agent.jar") : home.resolve("coordinator/target/warden-coordinator.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -DskipTests package (bin/warden does this)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll("agent".equals(command) ? agentOptions : coordinatorOptions);
        cmd.addAll(List.of("-jar", jar.toString(), command));
        return cmd;
    }
}
