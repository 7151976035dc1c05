package io.warden.coordinator.it;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warden.common.config.Env;
import io.warden.common.snapshot.S3Proxies;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.cli.CoordinatorClient;
import io.warden.coordinator.cli.RestoreCommand;
import io.warden.coordinator.local.LocalDeployment;
import io.warden.coordinator.local.LocalState;
import io.warden.coordinator.local.Programs;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/warden restore}, end to end: a real 3-shard cluster is snapshotted twice into a file:// target, then
 * restored whole onto fresh local deployments (real redis-server, agent and coordinator processes, as {@code up}
 * starts them, on a loopback /24 of their own): every key and value comes back on the master of its slot, the slot
 * layout is the source's, {@code redis-cli --cluster check} is clean. {@code --at} restores the older set; a
 * corrupted snapshot makes the restore fail and start nothing.
 */
class WholeRestoreIT {

    private static final int KEYS = 600;

    @RegisterExtension
    final RedisServers redis = new RedisServers();
    @RegisterExtension
    final S3ProxyExtension s3 = S3Proxies.extension();
    @TempDir
    Path tmp;

    @Test
    void aSnapshottedClusterIsRestoredWholeNewestOrAtATimeAndACorruptSnapshotStartsNothing() throws Exception {
        String target = tmp.resolve("pvc").toUri().toString();
        Map<String, String> first = new HashMap<>();
        Map<String, String> second;
        List<List<String>> layout;
        Instant between;
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1, Map.of("WARDEN_SNAPSHOT_TARGET", target, "WARDEN_DEPLOYMENT", "it"))) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();
            layout = doc.shards().stream().map(TopologyDocument.Shard::slots).toList();
            for (int i = 0; i < KEYS; i++) {
                first.put("k:{" + i + "}", "first-" + i);
            }
            write(d, doc, first);
            snapshotEveryShard(d, doc);
            between = Instant.now();
            Thread.sleep(20);
            second = new HashMap<>(first);
            for (int i = 0; i < KEYS; i += 2) {
                second.put("k:{" + i + "}", "second-" + i);
            }
            for (int i = KEYS; i < KEYS + 200; i++) {
                second.put("k:{" + i + "}", "second-" + i);
            }
            write(d, doc, second);
            snapshotEveryShard(d, doc);
        }

        Programs programs = programs();
        Path dir = tmp.resolve("restored");
        String net = freeNet();
        try {
            Run run = restore(programs, net, "--from", target, "--deployment", "it", "--dir", dir.toString());
            assertEquals(0, run.exit(), run.err() + run.out());
            assertTrue(run.out().contains("KEYS RESTORED"), run.out());
            TopologyDocument doc = topology(dir);
            assertTrue(doc.healthy(), doc.problems().toString());
            assertEquals(16384, doc.slotsCovered());
            assertEquals(layout, doc.shards().stream().map(TopologyDocument.Shard::slots).toList(), "the source's slot layout");
            assertTrue(doc.shards().stream().allMatch(s -> s.replicas().size() == 1), doc.shards().toString());
            assertEquals(second, contents(doc));
            RedisCli.Result check = RedisCli.run("--cluster", "check", doc.shards().get(0).master().redis());
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("[OK] All 16384 slots covered."), check.output());
            Path shape = dir.resolve("coordinator/shape.json");
            Eventually.await(Duration.ofSeconds(20), "the restore plan cleared from " + shape,
                    () -> !read(shape).contains("restore"));

            Run again = restore(programs, net, "--from", target, "--deployment", "it", "--dir", dir.toString());
            assertEquals(1, again.exit(), again.err());
            assertTrue(again.err().contains("already holds a deployment"), again.err());
        } finally {
            down(dir, programs);
        }

        Path older = tmp.resolve("older");
        try {
            Run run = restore(programs, net, "--from", target, "--deployment", "it", "--dir", older.toString(), "--replicas", "0",
                    "--at", between.toString());
            assertEquals(0, run.exit(), run.err() + run.out());
            TopologyDocument doc = topology(older);
            assertEquals(first, contents(doc), "the set taken before --at");
        } finally {
            down(older, programs);
        }

        Path corrupt = tmp.resolve("pvc-corrupt");
        copy(tmp.resolve("pvc"), corrupt);
        Path rdb;
        try (Stream<Path> files = Files.list(corrupt.resolve("it/shard-1"))) {
            rdb = files.filter(f -> f.toString().endsWith(".rdb")).max(Comparator.naturalOrder()).orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(rdb.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xff);
        }
        Path failed = tmp.resolve("failed");
        Run run = restore(programs, net, "--from", corrupt.toUri().toString(), "--deployment", "it", "--dir", failed.toString());
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.err().contains("SHA-256") && run.err().contains("nothing was started"), run.err());
        assertFalse(Files.exists(failed.resolve("state.json")));
        for (int i = 0; i < 6; i++) {
            assertFalse(Files.exists(failed.resolve("redis-" + i)), "redis-" + i + " left behind");
        }
        assertTrue(free(net + ".10", 9737) && free(net + ".11", 6379), "nothing listens");
    }

    @Test
    void aClusterSnapshottedToS3IsRestoredWholeFromS3() throws Exception {
        S3Proxies.bucket(s3, "backups", "warden");
        Map<String, String> s3Env = S3Proxies.env(s3);
        Map<String, String> agents = new HashMap<>(s3Env);
        agents.putAll(Map.of("WARDEN_SNAPSHOT_TARGET", "s3://backups/warden", "WARDEN_DEPLOYMENT", "it"));
        Map<String, String> data = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            data.put("s3:{" + i + "}", "v-" + i);
        }
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1, agents)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();
            write(d, doc, data);
            snapshotEveryShard(d, doc);
        }

        Programs programs = programs();
        Path dir = tmp.resolve("from-s3");
        try {
            Run run = restore(programs, freeNet(), s3Env, "--from", "s3://backups/warden", "--deployment", "it", "--dir", dir.toString(),
                    "--replicas", "0");
            assertEquals(0, run.exit(), run.err() + run.out());
            TopologyDocument doc = topology(dir);
            assertTrue(doc.healthy(), doc.problems().toString());
            assertEquals(data, contents(doc));
        } finally {
            down(dir, programs);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run restore(Programs programs, String net, String... argv) {
        return restore(programs, net, Map.of(), argv);
    }

    private static Run restore(Programs programs, String net, Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> all = new HashMap<>(env);
        all.put("WARDEN_LOCAL_NET", net);
        int exit = RestoreCommand.run(List.of(argv), Env.of(all), programs,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("bin/warden restore " + String.join(" ", argv) + "\n" + run.out() + run.err() + "exit " + exit);
        return run;
    }

    /** The jars the build just made, run with small heaps: the coordinator module's own and the agent's. */
    private static Programs programs() {
        Path home = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.exists(home.resolve("agent/target/warden-agent.jar")), "agent jar missing under " + home);
        assertTrue(Files.exists(home.resolve("coordinator/target/warden-coordinator.jar")), "coordinator jar missing under " + home);
        return new Programs(home, "-XX:+UseSerialGC -Xms8m -Xmx48m -XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC -Xms16m -Xmx128m -XX:TieredStopAtLevel=1");
    }

    /** A loopback /24 where nothing listens on the coordinator's or the first nodes' addresses. */
    private static String freeNet() {
        for (int attempt = 0; attempt < 50; attempt++) {
            String net = "127." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(0, 255);
            if (free(net + ".10", 9737) && free(net + ".11", 6379) && free(net + ".11", 9736)) {
                return net;
            }
        }
        throw new IllegalStateException("no free loopback /24");
    }

    private static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void down(Path dir, Programs programs) {
        if (LocalState.read(dir).isPresent()) {
            new LocalDeployment(dir, programs).down();
        }
    }

    private static TopologyDocument topology(Path dir) throws IOException {
        LocalState state = LocalState.read(dir).orElseThrow();
        CoordinatorClient client = new CoordinatorClient(URI.create(state.coordinatorUrl()), LocalState.token(dir));
        return WireJson.decode(client.send("GET", "/v1/topology", null).body(), TopologyDocument.class);
    }

    /** Every key and value the masters hold, each master read whole. */
    private static Map<String, String> contents(TopologyDocument doc) {
        Map<String, String> all = new HashMap<>();
        for (TopologyDocument.Shard shard : doc.shards()) {
            String[] address = shard.master().redis().split(":");
            RedisClient client = RedisClient.create(RedisURI.builder().withHost(address[0]).withPort(Integer.parseInt(address[1]))
                    .withTimeout(Duration.ofSeconds(10)).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(500));
                    page.getKeys().forEach(k -> all.put(k, redis.get(k)));
                    cursor = page;
                } while (!cursor.isFinished());
            } finally {
                client.shutdown();
            }
        }
        return all;
    }

    /** Each key written on the master of its slot. */
    private static void write(TestDeployment d, TopologyDocument doc, Map<String, String> data) {
        List<RedisServer> masters = new ArrayList<>();
        for (TopologyDocument.Shard shard : doc.shards()) {
            masters.add(d.servers().stream().filter(s -> s.address().equals(shard.master().redis())).findFirst().orElseThrow());
        }
        RedisCommands<String, String> any = masters.get(0).commands();
        data.forEach((key, value) -> {
            long slot = any.clusterKeyslot(key);
            for (int i = 0; i < masters.size(); i++) {
                if (owns(doc.shards().get(i), slot)) {
                    masters.get(i).commands().set(key, value);
                }
            }
        });
    }

    /** Once every replica has its master's whole replication stream, a snapshot of every shard (taken on the replicas). */
    private static void snapshotEveryShard(TestDeployment d, TopologyDocument doc) throws IOException {
        for (TopologyDocument.Shard shard : doc.shards()) {
            RedisServer master = d.servers().stream().filter(s -> s.address().equals(shard.master().redis())).findFirst().orElseThrow();
            long offset = offset(master.commands().info("replication"), "master_repl_offset");
            for (TopologyDocument.Member r : shard.replicas()) {
                RedisServer replica = d.servers().stream().filter(s -> s.address().equals(r.redis())).findFirst().orElseThrow();
                Eventually.await(Duration.ofSeconds(20), r.name() + " to catch up",
                        () -> offset(replica.commands().info("replication"), "slave_repl_offset") >= offset);
            }
        }
        CoordinatorClient client = new CoordinatorClient(URI.create(d.coordinatorUrl()), Optional.of(TestDeployment.TOKEN));
        CoordinatorClient.Answer answer = client.send("POST", "/v1/snapshots", "");
        assertEquals(202, answer.status(), answer.body());
        JsonArray started = new JsonObject(answer.body()).getJsonArray("snapshots");
        assertEquals(3, started.size(), answer.body());
        for (int i = 0; i < started.size(); i++) {
            String id = started.getJsonObject(i).getString("id");
            Eventually.await(Duration.ofSeconds(60), "snapshot " + id, () -> {
                try {
                    JsonObject job = new JsonObject(client.send("GET", "/v1/snapshots/" + id, null).body());
                    if ("failed".equals(job.getString("state"))) {
                        throw new AssertionError("snapshot " + id + " failed: " + job.encode());
                    }
                    return "succeeded".equals(job.getString("state"));
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static long offset(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field + ":")).mapToLong(l -> Long.parseLong(l.substring(field.length() + 1).strip()))
                .findFirst().orElse(-1);
    }

    private static boolean owns(TopologyDocument.Shard shard, long slot) {
        return shard.slots().stream().anyMatch(range -> {
            String[] ends = range.split("-");
            long lo = Long.parseLong(ends[0]);
            long hi = ends.length > 1 ? Long.parseLong(ends[1]) : lo;
            return slot >= lo && slot <= hi;
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "restore (unreadable: " + e.getMessage() + ")";
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
    }
}
