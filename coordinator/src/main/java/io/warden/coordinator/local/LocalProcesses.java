package io.warden.coordinator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processes local mode starts, one PID file each under {@code <dir>/pids}. Each runs in its own session
 * ({@code setsid}), so {@code bin/warden up} can return and a Ctrl-C in the shell afterwards does not reach them.
 */
final class LocalProcesses {

    private final Path pids;
    private final Path logs;

    LocalProcesses(Path dir) {
        this.pids = dir.resolve("pids");
        this.logs = dir.resolve("logs");
    }

    /** The live process recorded under {@code name}, if any (a stale PID file reused by another program is ignored). */
    Optional<ProcessHandle> running(String name) {
        // Guard against a reused PID: ours are Redis or Java. (Debian's redis-server is a link to
        // redis-check-rdb, which is what the kernel reports as the program.)
        return recorded(name).filter(p -> p.info().commandLine().map(c -> c.contains("redis") || c.contains("java")).orElse(true));
    }

    /** Whatever process lives under the PID recorded for {@code name}. */
    private Optional<ProcessHandle> recorded(String name) {
        Path file = pids.resolve(name + ".pid");
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(file).strip())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    ProcessHandle start(String name, List<String> command, Map<String, String> env, Path workDir) {
        try {
            Files.createDirectories(pids);
            Files.createDirectories(logs);
            Files.createDirectories(workDir);
            List<String> detached = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                detached.add("/usr/bin/setsid");
            }
            detached.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(detached).directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().keySet().removeIf(k -> k.startsWith("WARDEN_") || k.startsWith("POD_") || k.equals("NODE_NAME"));
            builder.environment().putAll(env);
            Process process = builder.start();
            Files.writeString(pids.resolve(name + ".pid"), Long.toString(process.pid()));
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}; removes the PID file. Answers whether it was running. */
    boolean stop(String name, int graceSeconds) {
        Optional<ProcessHandle> process = running(name);
        process.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(graceSeconds, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
        // Forget the PID only once nothing lives under it: a PID file dropped while its process runs orphans it.
        if (recorded(name).isEmpty()) {
            try {
                Files.deleteIfExists(pids.resolve(name + ".pid"));
            } catch (IOException e) {
                // A leftover PID file is harmless: running() checks the process.
            }
        }
        return process.isPresent();
    }

    Path log(String name) {
        return logs.resolve(name + ".log");
    }

    /** Whether host:port can be bound now (nothing else listens there). */
    static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
