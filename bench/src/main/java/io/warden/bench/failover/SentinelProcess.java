package io.warden.bench.failover;

import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisBinaries;
import io.warden.testkit.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Redis Sentinel ({@code redis-sentinel}, Debian package redis-sentinel) on a free loopback address, watching
 * one master. Sentinel rewrites its config file, so each gets its own directory; {@link #close()} kills it and
 * deletes the directory.
 */
final class SentinelProcess implements AutoCloseable {

    static final String MASTER_NAME = "bench";

    private final InetSocketAddress address;
    private final Path dir;
    private final Process process;

    private SentinelProcess(InetSocketAddress address, Path dir, Process process) {
        this.address = address;
        this.dir = dir;
        this.process = process;
    }

    /**
     * @param quorum          sentinels that must agree the master is down
     * @param downAfterMs     {@code down-after-milliseconds}: silence before a sentinel thinks the master down
     */
    static SentinelProcess start(RedisServer master, int quorum, int downAfterMs) {
        InetSocketAddress address = LoopbackPorts.freeAddress();
        try {
            Path dir = Files.createTempDirectory("warden-sentinel-");
            String host = address.getHostString();
            // Sentinels tell each other where they are through the master's hello channel, from the address of
            // their own connection, which leaves from 127.0.0.1: announce the bound address instead.
            Files.write(dir.resolve("sentinel.conf"), List.of(
                    "bind " + host,
                    "port " + address.getPort(),
                    "daemonize no",
                    "protected-mode no",
                    "dir " + dir,
                    "logfile " + dir.resolve("sentinel.log"),
                    "sentinel announce-ip " + host,
                    "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " " + quorum,
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfterMs,
                    "sentinel failover-timeout " + MASTER_NAME + " 60000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"));
            Process process = new ProcessBuilder(RedisBinaries.find("redis-sentinel", "redis-sentinel").toString(),
                    dir.resolve("sentinel.conf").toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            OwnProcesses.started(process.pid(), "redis-sentinel " + address);
            return new SentinelProcess(address, dir, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-sentinel on " + address, e);
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** The last lines of its log, to explain a failed repetition. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("sentinel.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OwnProcesses.stopped(process.pid());
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory lives under the script's work directory, which it deletes.
        }
    }
}
