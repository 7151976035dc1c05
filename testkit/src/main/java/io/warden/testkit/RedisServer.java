package io.warden.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code redis-server} process on a loopback address, with its own data directory. It can be
 * killed (SIGKILL), stopped (SIGTERM: Redis saves when persistence is on), paused (SIGSTOP), started again on
 * the same or a new address with the same data. {@link #close()} kills it and deletes its directory.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        // A test JVM that dies mid-test must not leave servers behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final RedisSpec spec;
    private final Path dir;
    private volatile InetSocketAddress address;
    private volatile Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisServer(RedisSpec spec, Path dir, InetSocketAddress address) {
        this.spec = spec;
        this.dir = dir;
        this.address = address;
    }

    static RedisServer start(RedisSpec spec, Path dir) {
        RedisServer server = new RedisServer(spec, dir, spec.cluster() ? LoopbackPorts.freeClusterAddress() : LoopbackPorts.freeAddress());
        server.start();
        return server;
    }

    public String host() {
        return address.getHostString();
    }

    public int port() {
        return address.getPort();
    }

    /** {@code host:port}. */
    public String address() {
        return host() + ":" + port();
    }

    public Path dataDir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("redis.log");
    }

    public RedisSpec spec() {
        return spec;
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** A synchronous Lettuce connection to this server, opened on first use and closed with the server. */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null || !connection.isOpen()) {
            RedisURI.Builder uri = RedisURI.builder().withHost(host()).withPort(port()).withTimeout(Duration.ofSeconds(10));
            spec.password().ifPresent(p -> uri.withPassword(p.toCharArray()));
            if (client == null) {
                client = RedisClient.create();
            }
            connection = client.connect(uri.build());
        }
        return connection.sync();
    }

    /** Starts the process (again) on the current address and waits until it answers. */
    public synchronized void start() {
        if (running()) {
            throw new IllegalStateException("redis at " + address() + " is already running");
        }
        List<String> command = commandLine();
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        LIVE.add(process);
        awaitAnswering();
    }

    /** Starts again at a new loopback address with the same data directory (a pod that came back with a new IP). */
    public synchronized void restartAt(InetSocketAddress newAddress) {
        if (running()) {
            stop();
        }
        address = newAddress;
        start();
    }

    /** SIGKILL: the process dies without saving, as with {@code kill -9} or an OOM kill. */
    public synchronized void kill() {
        closeClient();
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitFor(p);
        }
    }

    /** SIGSTOP: the process stays, holding its sockets, and answers nothing (a stalled node) until {@link #resume}. */
    public synchronized void pause() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public synchronized void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending " + signal, e);
        }
    }

    /**
     * Deletes the dataset from the data directory (every {@code dump*} and {@code appendonly*}), as a lost volume would,
     * leaving nodes.conf and any other file; for a stopped or killed server.
     */
    public synchronized void deleteDataset() {
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().startsWith("dump") || p.getFileName().toString().startsWith("appendonly"))
                    .toList().forEach(RedisServer::deleteRecursively);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete the dataset in " + dir, e);
        }
    }

    /** SIGTERM: Redis shuts down cleanly (and saves when persistence is on). */
    public synchronized void stop() {
        closeClient();
        Process p = process;
        if (p != null) {
            p.destroy();
            waitFor(p);
        }
    }

    @Override
    public synchronized void close() {
        kill();
        deleteRecursively(dir);
    }

    private List<String> commandLine() {
        List<String> cmd = new ArrayList<>(List.of(
                RedisBinaries.redisServer().toString(),
                "--bind", host(),
                "--port", Integer.toString(port()),
                "--dir", dir.toString(),
                "--logfile", logFile().toString(),
                "--daemonize", "no",
                "--protected-mode", "no",
                "--appendonly", "no",
                // Production waits 5 s to batch replicas into one diskless sync; tests would only wait.
                "--repl-diskless-sync-delay", "0"));
        if (!spec.persistence()) {
            cmd.addAll(List.of("--save", ""));
        }
        // Outgoing connections leave from 127.0.0.1 whatever the bind address: announce the real one.
        cmd.addAll(List.of("--replica-announce-ip", host()));
        spec.password().ifPresent(p -> cmd.addAll(List.of("--requirepass", p, "--masterauth", p)));
        spec.replicaOf().ifPresent(m -> cmd.addAll(List.of("--replicaof", m.host(), Integer.toString(m.port()))));
        if (spec.cluster()) {
            cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                    "--cluster-announce-ip", host()));
        }
        cmd.addAll(spec.extraArgs());
        return cmd;
    }

    /** Waits until a raw PING gets any Redis answer (PONG, NOAUTH, LOADING all mean the server is up). */
    private void awaitAnswering() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server at " + address() + " exited with " + process.exitValue()
                        + "; its log ends with:\n" + logTail());
            }
            if (answersPing()) {
                return;
            }
            sleep(20);
        }
        kill();
        throw new IllegalStateException("redis-server at " + address() + " did not answer within " + START_TIMEOUT + "; log:\n" + logTail());
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(address, 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            int first = in.read();
            return first == '+' || first == '-';
        } catch (IOException e) {
            return false;
        }
    }

    /** The lines of this server's log that mention any of {@code words} (ignoring case), for a failure message. */
    public synchronized List<String> logLinesMentioning(String... words) {
        try {
            if (!Files.exists(logFile())) {
                return List.of();
            }
            return Files.readAllLines(logFile()).stream()
                    .filter(line -> Arrays.stream(words).anyMatch(w -> line.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT))))
                    .toList();
        } catch (IOException e) {
            return List.of("(log unreadable: " + e + ")");
        }
    }

    private String logTail() {
        try {
            List<String> lines = new ArrayList<>();
            for (Path log : List.of(logFile(), dir.resolve("stdout.log"))) {
                if (Files.exists(log)) {
                    lines.addAll(Files.readAllLines(log));
                }
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void closeClient() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            client = null;
        }
    }

    private static void waitFor(Process p) {
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(p);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp directory is not worth failing a test for.
        }
    }
}
