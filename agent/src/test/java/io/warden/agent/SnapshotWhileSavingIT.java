package io.warden.agent;

import io.vertx.core.json.JsonObject;
import io.warden.agent.AgentHarness.Restore;
import io.warden.common.snapshot.S3Proxies;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisCli;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import io.warden.testkit.SnapshotData;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.warden.agent.AgentHarness.restore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots copied while Redis's BGSAVE writes them: real Redis, real targets, restored and compared by DEBUG DIGEST. */
class SnapshotWhileSavingIT {

    /** No compression: the RDB is as large as the values, so a BGSAVE takes a while to write it. */
    private static final RedisSpec DEBUGGABLE = RedisSpec.standalone().withArgs("--enable-debug-command", "yes", "--rdbcompression", "no");

    @RegisterExtension
    final RedisServers redis = new RedisServers();
    @RegisterExtension
    final S3ProxyExtension s3 = S3Proxies.extension();
    @TempDir
    Path tmp;

    private Map<String, String> targetEnv(String kind) {
        Map<String, String> env = new HashMap<>();
        env.put("WARDEN_DEPLOYMENT", "it");
        env.put("WARDEN_SHARD", "shard-0");
        if (kind.equals("file")) {
            env.put("WARDEN_SNAPSHOT_TARGET", tmp.resolve("pvc").toUri().toString());
        } else {
            S3Proxies.bucket(s3, "backups", "warden");
            env.put("WARDEN_SNAPSHOT_TARGET", "s3://backups/warden");
            env.putAll(S3Proxies.env(s3));
        }
        return env;
    }

    private static Map<String, String> agentEnv(RedisServer server, Map<String, String> target) {
        Map<String, String> env = new HashMap<>(AgentHarness.envFor(server));
        env.putAll(target);
        return env;
    }

    private static String startSnapshot(AgentHarness agent) {
        AgentHarness.Answer started = agent.post("/v1/snapshots", "");
        assertEquals(202, started.status(), started.body());
        return started.json().getString("id");
    }

    private static JsonObject awaitJob(AgentHarness agent, String id) {
        JsonObject[] job = new JsonObject[1];
        Eventually.await(Duration.ofSeconds(60), "snapshot " + id + " to finish", () -> {
            job[0] = agent.get("/v1/snapshots/" + id).json();
            return !"running".equals(job[0].getString("state"));
        });
        return job[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void aLargeRdbIsCopiedWhileRedisWritesItAndRestoresToTheSameDataset(String kind) throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        // file: ~200 MB of 1 KB values, a BGSAVE of about a second. s3 (s3proxy keeps objects in this JVM's heap): ~40 MB,
        // slowed to a few seconds per save so that parts go up while Redis still writes.
        int keys = kind.equals("file") ? 200_000 : 40_000;
        RedisCli.Result populated = RedisCli.run("-h", source.host(), "-p", Integer.toString(source.port()), "DEBUG", "POPULATE",
                Integer.toString(keys), "key", "1000");
        assertEquals("OK", populated.output().strip(), populated.output());
        source.commands().configSet("rdb-key-save-delay", kind.equals("file") ? "0" : "20");
        Map<String, String> target = targetEnv(kind);
        String id;
        try (AgentHarness agent = AgentHarness.start(agentEnv(source, target))) {
            id = startSnapshot(agent);
            JsonObject job = awaitJob(agent, id);
            assertEquals("succeeded", job.getString("state"), job.encode());
            assertEquals("while-saving", job.getString("streamed"), job.encode());
            JsonObject stored = agent.get("/v1/snapshots").json().getJsonArray("snapshots").getJsonObject(0);
            assertTrue(stored.getBoolean("good"), stored.encode());
            assertEquals(Files.size(source.dataDir().resolve("dump.rdb")), stored.getJsonObject("manifest").getLong("sizeBytes"));
        }
        RedisServer restoredServer = redis.start(DEBUGGABLE);
        restoredServer.stop();
        Restore restored = restore(target, "--data-dir", restoredServer.dataDir().toString());
        assertEquals(0, restored.exit(), restored.err());
        assertTrue(restored.out().contains("SHA-256 and CRC64 verified"), restored.out());
        restoredServer.start();
        Eventually.await(Duration.ofSeconds(20), "the restored Redis to load its dataset",
                () -> RedisCli.run("-h", restoredServer.host(), "-p", Integer.toString(restoredServer.port()), "INFO", "persistence")
                        .output().lines().anyMatch(l -> l.strip().equals("loading:0")));
        assertEquals((long) keys, restoredServer.commands().dbsize());
        assertEquals(SnapshotData.digest(source), SnapshotData.digest(restoredServer));
    }

    @Test
    void aTempFileThatIsNotTheFinishedDumpIsNotPublishedAndTheFinishedDumpIs() throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        SnapshotData.populate(source.commands(), 400);
        source.commands().save();
        byte[] good = Files.readAllBytes(source.dataDir().resolve("dump.rdb"));
        // The agent looks where WARDEN_DATA_DIR says. There, a temp file shows up during the save that never becomes the
        // dump (Redis writes its own elsewhere), while the dump there is a good copy of the data.
        Path mounted = Files.createDirectories(tmp.resolve("mounted"));
        Files.write(mounted.resolve("dump.rdb"), good);
        Map<String, String> env = agentEnv(source, targetEnv("file"));
        env.put("WARDEN_DATA_DIR", mounted.toString());
        // 2,000 keys at 1 ms each: a BGSAVE of about two seconds.
        source.commands().configSet("rdb-key-save-delay", "1000");
        try (AgentHarness agent = AgentHarness.start(env)) {
            String id = startSnapshot(agent);
            Path redisTemp = awaitTempFile(source.dataDir());
            Files.write(mounted.resolve(redisTemp.getFileName()), Arrays.copyOf(good, good.length / 2));
            JsonObject job = awaitJob(agent, id);
            assertEquals("succeeded", job.getString("state"), job.encode());
            assertEquals("after-save", job.getString("streamed"), job.encode());
            JsonObject manifest = agent.get("/v1/snapshots").json().getJsonArray("snapshots").getJsonObject(0).getJsonObject("manifest");
            assertEquals(good.length, manifest.getLong("sizeBytes"));
        }
    }

    @Test
    void aSaveThatDiesWhileBeingCopiedFailsTheSnapshotAndLeavesNothing() throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        SnapshotData.populate(source.commands(), 400);
        source.commands().configSet("rdb-key-save-delay", "1000");
        try (AgentHarness agent = AgentHarness.start(agentEnv(source, targetEnv("file")))) {
            String id = startSnapshot(agent);
            Path temp = awaitTempFile(source.dataDir());
            // The BGSAVE child, named by its file: Redis counts a child killed by a signal as a failed save and deletes the file.
            long child = Long.parseLong(temp.getFileName().toString().replaceAll("[^0-9]", ""));
            Thread.sleep(300);
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            JsonObject job = awaitJob(agent, id);
            assertEquals("failed", job.getString("state"), job.encode());
            assertTrue(job.getString("reason").contains("rdb_last_bgsave_status:err"), job.encode());
            assertTrue(agent.get("/metrics").body().contains("warden_snapshot_failures_total{reason=\"bgsave\"} 1.0"));
            assertEquals(0, agent.get("/v1/snapshots").json().getJsonArray("snapshots").size());
        }
        try (Stream<Path> left = Files.walk(tmp.resolve("pvc"))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
        }
    }

    private static Path awaitTempFile(Path dir) {
        Path[] found = new Path[1];
        Eventually.await(Duration.ofSeconds(10), "Redis's temp RDB in " + dir, () -> {
            try (Stream<Path> files = Files.list(dir)) {
                found[0] = files.filter(f -> f.getFileName().toString().matches("temp-[0-9]+\\.rdb")).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return found[0] != null;
        });
        return found[0];
    }

}
