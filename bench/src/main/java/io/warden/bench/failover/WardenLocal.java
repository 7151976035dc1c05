package io.warden.bench.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Warden local deployment driven only through its contract (DESIGN.md): {@code bin/warden up|down --dir},
 * the coordinator's {@code GET /v1/topology} (what {@code bin/warden status --json} prints), the agents' HTTP API,
 * and the PID files {@code up} keeps in {@code <dir>/pids} to kill a Redis as the kernel's OOM killer would.
 * Closing runs {@code bin/warden down} and deletes the directory.
 */
final class WardenLocal implements AutoCloseable {

    private static final Duration UP_BOUND = Duration.ofMinutes(4);
    private static final Duration DOWN_BOUND = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Redis node as the topology names it. */
    record Member(String name, InetSocketAddress redis, String agent) {
    }

    /** One shard of the topology: its hash-slot ranges ("0-5460"; none in replication mode), master and replicas. */
    record Shard(String id, List<String> slots, Member master, List<Member> replicas) {

        boolean owns(int slot) {
            return slots.stream().anyMatch(range -> {
                String[] ends = range.split("-");
                int low = Integer.parseInt(ends[0]);
                int high = Integer.parseInt(ends[ends.length - 1]);
                return slot >= low && slot <= high;
            });
        }

        List<InetSocketAddress> replicaAddresses() {
            return replicas.stream().map(Member::redis).toList();
        }
    }

    private final Path home;
    private final Path dir;
    private final URI coordinator;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private WardenLocal(Path home, Path dir, URI coordinator, Optional<String> token) {
        this.home = home;
        this.dir = dir;
        this.coordinator = coordinator;
        this.token = token;
    }

    /** {@code bin/warden up --mode MODE --replicas R --dir DIR}: returns once it printed healthy. */
    static WardenLocal up(Path home, Path dir, String mode, int replicas) {
        List<String> command = List.of(home.resolve("bin/warden").toString(), "up", "--mode", mode, "--replicas", Integer.toString(replicas),
                "--dir", dir.toString());
        String output;
        try {
            output = run(home, command, UP_BOUND);
        } catch (RuntimeException e) {
            down(home, dir);
            throw e;
        }
        try {
            JsonNode state = JSON.readTree(dir.resolve("state.json").toFile());
            URI coordinator = URI.create("http://" + state.path("coordinatorHost").asText() + ":" + state.path("coordinatorPort").asInt());
            Path tokenFile = dir.resolve("token");
            Optional<String> token = Files.exists(tokenFile) ? Optional.of(Files.readString(tokenFile).strip()) : Optional.empty();
            return new WardenLocal(home, dir, coordinator, token);
        } catch (IOException e) {
            down(home, dir);
            throw new IllegalStateException("bin/warden up left no readable state in " + dir + "; it printed:\n" + output, e);
        }
    }

    /** The shards as the coordinator's topology has them now. */
    List<Shard> shards() {
        JsonNode topology;
        try {
            topology = JSON.readTree(get(coordinator.resolve("/v1/topology"), Duration.ofSeconds(5)));
        } catch (IOException e) {
            throw new UncheckedIOException("the topology is not JSON: " + e.getMessage(), e);
        }
        List<Shard> shards = new ArrayList<>();
        for (JsonNode shard : topology.path("shards")) {
            List<String> slots = new ArrayList<>();
            shard.path("slots").forEach(s -> slots.add(s.asText()));
            List<Member> replicas = new ArrayList<>();
            shard.path("replicas").forEach(r -> replicas.add(member(r)));
            shards.add(new Shard(shard.path("id").asText(), slots, member(shard.path("master")), replicas));
        }
        return shards;
    }

    Shard shardOwning(int slot) {
        return shards().stream().filter(s -> s.owns(slot)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no shard owns slot " + slot + " in the topology"));
    }

    List<InetSocketAddress> allRedis() {
        return shards().stream().flatMap(s -> Stream.concat(Stream.of(s.master()), s.replicas().stream())).map(Member::redis).toList();
    }

    /**
     * The master as a Kubernetes Service selecting {@code warden.io/role=master} would reach it: the coordinator
     * labels pods from this same topology. Empty when the topology names none or cannot be read.
     */
    Optional<InetSocketAddress> masterOfOnlyShard() {
        try {
            List<Shard> shards = shards();
            return shards.isEmpty() || shards.get(0).master() == null ? Optional.empty() : Optional.of(shards.get(0).master().redis());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The Redis container's preStop hook: {@code GET /v1/lifecycle/prestop} on the member's agent; blocks. */
    String preStop(Member member) {
        return get(URI.create(member.agent() + "/v1/lifecycle/prestop"), Duration.ofSeconds(90));
    }

    /** SIGKILL to the member's redis-server (its PID from {@code <dir>/pids}). */
    void killRedis(Member member) throws IOException {
        Path pidFile = dir.resolve("pids").resolve(member.name() + "-redis.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle process = ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains("redis")).orElse(true))
                .orElseThrow(() -> new IllegalStateException("the redis of " + member.name() + " (PID " + pid + ") is not running"));
        process.destroyForcibly();
    }

    private static Member member(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String[] redis = node.path("redis").asText().split(":");
        return new Member(node.path("name").asText(), new InetSocketAddress(redis[0], Integer.parseInt(redis[1])), node.path("agent").asText());
    }

    private String get(URI uri, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    @Override
    public void close() {
        down(home, dir);
    }

    private static void down(Path home, Path dir) {
        try {
            run(home, List.of(home.resolve("bin/warden").toString(), "down", "--dir", dir.toString()), DOWN_BOUND);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // bench/failover.sh deletes its whole work directory at the end.
            }
        }
    }

    /** Runs a command to completion within {@code bound}; its output, or an exception carrying it. */
    private static String run(Path home, List<String> command, Duration bound) {
        try {
            Path log = Files.createTempFile("warden-bench-", ".log");
            try {
                Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + bound + ":\n" + Files.readString(log));
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
