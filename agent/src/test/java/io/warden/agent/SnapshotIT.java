package io.warden.agent;

import io.vertx.core.json.JsonObject;
import io.warden.agent.AgentHarness.Restore;
import io.warden.common.snapshot.S3Proxies;
import io.warden.testkit.Eventually;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.warden.agent.AgentHarness.restore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots through the agent's API and restores through its restore command, with real Redis and a real S3 server. */
class SnapshotIT {

    private static final RedisSpec DEBUGGABLE = RedisSpec.standalone().withArgs("--enable-debug-command", "yes");

    @RegisterExtension
    final RedisServers redis = new RedisServers();
    @RegisterExtension
    final S3ProxyExtension s3 = S3Proxies.extension();
    @TempDir
    Path tmp;

    private Map<String, String> snapshotEnv(RedisServer server, String kind) {
        Map<String, String> env = new HashMap<>(AgentHarness.envFor(server));
        env.putAll(targetEnv(kind));
        return env;
    }

    private Map<String, String> targetEnv(String kind) {
        Map<String, String> env = new HashMap<>();
        env.put("WARDEN_DEPLOYMENT", "it");
        if (kind.equals("file")) {
            env.put("WARDEN_SNAPSHOT_TARGET", tmp.resolve("pvc").toUri().toString());
        } else {
            if (!bucketMade) {
                S3Proxies.bucket(s3, "backups", "warden");
                bucketMade = true;
            }
            env.put("WARDEN_SNAPSHOT_TARGET", "s3://backups/warden");
            env.putAll(S3Proxies.env(s3));
        }
        return env;
    }

    private boolean bucketMade;

    private static JsonObject snapshotAndWait(AgentHarness agent) {
        AgentHarness.Answer started = agent.post("/v1/snapshots", "");
        assertEquals(202, started.status(), started.body());
        String id = started.json().getString("id");
        JsonObject[] job = new JsonObject[1];
        Eventually.await(Duration.ofSeconds(60), "snapshot " + id + " to finish", () -> {
            job[0] = agent.get("/v1/snapshots/" + id).json();
            return !"running".equals(job[0].getString("state"));
        });
        return job[0];
    }


    /** A Redis that was started and stopped without saving: an empty data directory for a restore to fill. */
    private RedisServer stoppedEmpty() {
        RedisServer fresh = redis.start(DEBUGGABLE);
        fresh.stop();
        assertTrue(Files.notExists(fresh.dataDir().resolve("dump.rdb")));
        return fresh;
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void standaloneSnapshotRestoresEveryKeyAndValue(String kind) throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        SnapshotData.populate(source.commands(), 500);
        try (AgentHarness agent = AgentHarness.start(snapshotEnv(source, kind))) {
            JsonObject job = snapshotAndWait(agent);
            assertEquals("succeeded", job.getString("state"), job.encode());

            JsonObject listed = agent.get("/v1/snapshots").json();
            JsonObject stored = listed.getJsonArray("snapshots").getJsonObject(0);
            assertEquals(job.getString("id"), stored.getString("id"));
            assertTrue(stored.getBoolean("good"), stored.encode());
            JsonObject manifest = stored.getJsonObject("manifest");
            assertEquals(2500, manifest.getLong("keys"));
            assertEquals("shard-0", manifest.getString("shard"));
            assertTrue(agent.get("/metrics").body().contains("warden_snapshot_last_success_timestamp_seconds"));
        }
        RedisServer target = stoppedEmpty();
        Map<String, String> env = targetEnv(kind);
        env.put("WARDEN_SHARD", "shard-0");
        Restore restored = restore(env, "--data-dir", target.dataDir().toString());
        assertEquals(0, restored.exit(), restored.err());
        assertTrue(restored.out().contains("SHA-256 and CRC64 verified"), restored.out());
        target.start();
        assertEquals(SnapshotData.digest(source), SnapshotData.digest(target));
        assertEquals(2500L, target.commands().dbsize());
    }

    @Test
    void aReplicasSnapshotHoldsTheMastersData() throws Exception {
        RedisServer master = redis.start(DEBUGGABLE);
        SnapshotData.populate(master.commands(), 200);
        RedisServer replica = redis.startReplicaInSync(DEBUGGABLE, master);
        Eventually.await(Duration.ofSeconds(10), "replica to catch up", () -> replica.commands().dbsize() == 1000);
        try (AgentHarness agent = AgentHarness.start(snapshotEnv(replica, "file"))) {
            JsonObject job = snapshotAndWait(agent);
            assertEquals("succeeded", job.getString("state"), job.encode());
            JsonObject manifest = agent.get("/v1/snapshots").json().getJsonArray("snapshots").getJsonObject(0).getJsonObject("manifest");
            assertEquals("replica", manifest.getString("role"));
        }
        RedisServer target = stoppedEmpty();
        Map<String, String> env = targetEnv("file");
        Restore restored = restore(env, "--data-dir", target.dataDir().toString(), "--shard", "shard-0");
        assertEquals(0, restored.exit(), restored.err());
        target.start();
        assertEquals(SnapshotData.digest(master), SnapshotData.digest(target));
    }

    @Test
    void aSecondRequestWhileOneRunsIsRefusedAndNothingIsDoubled() throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        SnapshotData.populate(source.commands(), 400);
        // 2,000 keys at 1 ms each: a BGSAVE of about two seconds.
        source.commands().configSet("rdb-key-save-delay", "1000");
        long savesBefore = saves(source);
        try (AgentHarness agent = AgentHarness.start(snapshotEnv(source, "file"))) {
            AgentHarness.Answer first = agent.post("/v1/snapshots", "");
            assertEquals(202, first.status(), first.body());
            AgentHarness.Answer second = agent.post("/v1/snapshots", "{\"shard\": \"shard-0\"}");
            assertEquals(409, second.status(), second.body());
            assertEquals(first.json().getString("id"), second.json().getString("id"));
            assertTrue(second.json().getString("error").contains("already in progress"), second.body());
            assertEquals(first.json().getString("id"), agent.get("/v1/snapshots").json().getString("inProgress"));
            // The agent's own loop keeps ticking while the snapshot runs.
            assertEquals(200, agent.status("/live"));
            assertEquals(400, agent.post("/v1/snapshots", "{\"shard\": 7}").status());

            Eventually.await(Duration.ofSeconds(60), "the snapshot to finish",
                    () -> agent.get("/v1/snapshots").json().getString("inProgress") == null);
            assertEquals(1, agent.get("/v1/snapshots").json().getJsonArray("snapshots").size());
        }
        assertEquals(savesBefore + 1, saves(source));
    }

    @Test
    void aCorruptedOrTruncatedRdbIsNotPublished() throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        SnapshotData.populate(source.commands(), 100);
        source.commands().save();
        byte[] good = Files.readAllBytes(source.dataDir().resolve("dump.rdb"));
        // The agent reads the RDB where WARDEN_DATA_DIR says; a copy there stands in for a disk that damaged it.
        Path damaged = Files.createDirectories(tmp.resolve("damaged"));
        Map<String, String> env = snapshotEnv(source, "file");
        env.put("WARDEN_DATA_DIR", damaged.toString());
        try (AgentHarness agent = AgentHarness.start(env)) {
            byte[] flipped = good.clone();
            flipped[good.length / 2] ^= 0x01;
            Files.write(damaged.resolve("dump.rdb"), flipped);
            // BGSAVE writes Redis's own dump.rdb; the damaged copy is what gets read: hold it in place.
            JsonObject corrupted = snapshotAndWaitKeeping(agent, damaged.resolve("dump.rdb"), flipped);
            assertEquals("failed", corrupted.getString("state"));
            assertTrue(corrupted.getString("reason").contains("CRC64 mismatch"), corrupted.encode());

            byte[] truncated = java.util.Arrays.copyOf(good, good.length - 100);
            JsonObject cut = snapshotAndWaitKeeping(agent, damaged.resolve("dump.rdb"), truncated);
            assertEquals("failed", cut.getString("state"));
            assertTrue(cut.getString("reason").contains("truncated"), cut.encode());

            assertEquals(0, agent.get("/v1/snapshots").json().getJsonArray("snapshots").size());
            assertTrue(agent.get("/metrics").body().contains("warden_snapshot_failures_total{reason=\"verify\"} 2.0"),
                    agent.get("/metrics").body().lines().filter(l -> l.startsWith("warden_snapshot")).toList().toString());
        }
        try (Stream<Path> left = Files.walk(tmp.resolve("pvc"))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList());
        }
    }

    private static JsonObject snapshotAndWaitKeeping(AgentHarness agent, Path file, byte[] content) throws Exception {
        Files.write(file, content);
        return snapshotAndWait(agent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "s3"})
    void restoreFailsClosedOnACorruptedTruncatedOrManifestlessSnapshot(String kind) throws Exception {
        RedisServer source = redis.start(DEBUGGABLE);
        SnapshotData.populate(source.commands(), 100);
        String id;
        try (AgentHarness agent = AgentHarness.start(snapshotEnv(source, kind))) {
            id = snapshotAndWait(agent).getString("id");
        }
        Map<String, String> env = targetEnv(kind);
        env.put("WARDEN_SHARD", "shard-0");
        String name = id.substring("shard-0-".length());
        Damage damage = new Damage(kind, name);
        byte[] good = damage.read();

        damage.write(flip(good));
        assertRefused(env, "SHA-256", "corrupted");
        damage.write(java.util.Arrays.copyOf(good, good.length / 2));
        assertRefused(env, "no good snapshot", "truncated or replaced");
        damage.write(good);
        damage.removeManifest();
        assertRefused(env, "no good snapshot", "manifest missing");
        // Named explicitly, the manifest-less snapshot is refused too.
        Path dir = Files.createDirectories(tmp.resolve("named"));
        String uri = kind.equals("file") ? tmp.resolve("pvc/it/shard-0/" + name + ".rdb").toUri().toString()
                : "s3://backups/warden/it/shard-0/" + name + ".rdb";
        Restore named = restore(env, "--data-dir", dir.toString(), "--snapshot", uri);
        assertEquals(1, named.exit(), named.err());
        assertTrue(named.err().contains("manifest missing"), named.err());
        assertEmpty(dir);

        // --allow-empty opts out: exit 0, still empty.
        Restore allowed = restore(env, "--data-dir", dir.toString(), "--allow-empty");
        assertEquals(0, allowed.exit(), allowed.err());
        assertTrue(allowed.err().contains("starting empty"), allowed.err());
        assertEmpty(dir);
    }

    @Test
    void restoreLeavesADataDirectoryWithDataAloneAndNeedsAShard() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Files.write(dir.resolve("dump.rdb"), new byte[] {1, 2, 3});
        Restore untouched = restore(targetEnv("file"), "--data-dir", dir.toString());
        assertEquals(0, untouched.exit(), untouched.err());
        assertTrue(untouched.out().contains("already holds a dataset"), untouched.out());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Restore noShard = restore(targetEnv("file"), "--data-dir", empty.toString());
        assertEquals(1, noShard.exit());
        assertTrue(noShard.err().contains("--shard"), noShard.err());
        Restore nothing = restore(targetEnv("file"), "--data-dir", empty.toString(), "--shard", "shard-0");
        assertEquals(1, nothing.exit());
        assertTrue(nothing.err().contains("no snapshot of it/shard-0"), nothing.err());
        assertEquals(2, restore(Map.of(), "--data-dir", empty.toString(), "--bogus").exit());
        assertEmpty(empty);
    }

    private void assertRefused(Map<String, String> env, String... reasons) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("restore-" + System.nanoTime()));
        Restore refused = restore(env, "--data-dir", dir.toString());
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        for (String reason : reasons) {
            assertTrue(refused.err().contains(reason), refused.err());
        }
        assertTrue(refused.err().contains("refusing to let Redis start empty"), refused.err());
        assertEmpty(dir);
    }

    private static void assertEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    private static byte[] flip(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[bytes.length / 2] ^= 0x01;
        assertNotEquals(bytes[bytes.length / 2], copy[bytes.length / 2]);
        return copy;
    }

    private static long saves(RedisServer server) {
        return Long.parseLong(server.commands().info("persistence").lines().filter(l -> l.startsWith("rdb_saves:"))
                .findFirst().orElseThrow().substring("rdb_saves:".length()).strip());
    }

    /** Reaches behind the target to damage a stored snapshot. */
    private final class Damage {
        private final String kind;
        private final String name;

        Damage(String kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        private Path file(String ext) {
            return tmp.resolve("pvc/it/shard-0/" + name + ext);
        }

        private software.amazon.awssdk.services.s3.S3Client client() {
            return ((io.warden.common.snapshot.S3Store) io.warden.common.snapshot.SnapshotTarget.parse("t", "s3://backups/warden")
                    .open(S3Proxies.settings(s3))).client();
        }

        byte[] read() throws Exception {
            if (kind.equals("file")) {
                return Files.readAllBytes(file(".rdb"));
            }
            try (var client = client()) {
                return client.getObjectAsBytes(b -> b.bucket("backups").key("warden/it/shard-0/" + name + ".rdb")).asByteArray();
            }
        }

        void write(byte[] bytes) throws Exception {
            if (kind.equals("file")) {
                Files.write(file(".rdb"), bytes);
                return;
            }
            try (var client = client()) {
                client.putObject(b -> b.bucket("backups").key("warden/it/shard-0/" + name + ".rdb"),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
            }
        }

        void removeManifest() throws Exception {
            if (kind.equals("file")) {
                Files.delete(file(".json"));
                return;
            }
            try (var client = client()) {
                client.deleteObject(b -> b.bucket("backups").key("warden/it/shard-0/" + name + ".json"));
            }
        }
    }
}
