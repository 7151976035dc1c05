package io.warden.coordinator.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warden.testkit.SnapshotData;
import io.warden.agent.snapshot.RestoreCommand;
import io.warden.common.config.Env;
import io.warden.common.snapshot.S3Proxies;
import io.warden.coordinator.cli.CoordinatorClient;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator snapshots every shard from a healthy replica; each shard's snapshot, restored into an empty
 * Redis, holds exactly the keys and values of that shard's master.
 */
class SnapshotsIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();
    @RegisterExtension
    final S3ProxyExtension s3 = S3Proxies.extension();
    @TempDir
    Path tmp;

    @Test
    void threeShardClusterSnapshotsFromReplicasAndRestoresEveryShard() throws Exception {
        Map<String, String> env = Map.of("WARDEN_SNAPSHOT_TARGET", tmp.resolve("pvc").toUri().toString(), "WARDEN_DEPLOYMENT", "it");
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1, env)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();
            for (TopologyDocument.Shard shard : doc.shards()) {
                RedisServer master = server(d, shard.master().redis());
                // Keys of this shard's slots only: hash tags that land in its range.
                int written = 0;
                for (int i = 0; written < 300; i++) {
                    String key = "k:{" + i + "}";
                    if (owns(shard, master.commands().clusterKeyslot(key))) {
                        master.commands().set(key, "v" + i);
                        master.commands().hset("h:{" + i + "}", "f", "x" + i);
                        written++;
                    }
                }
            }
            awaitReplicasCaughtUp(d, doc);

            CoordinatorClient client = new CoordinatorClient(URI.create(d.coordinatorUrl()), Optional.of(TestDeployment.TOKEN));
            assertEquals(400, client.send("POST", "/v1/snapshots", "{\"shard\": \"shard-9\"}").status());
            CoordinatorClient.Answer answer = client.send("POST", "/v1/snapshots", "");
            assertEquals(202, answer.status(), answer.body());
            JsonArray started = new JsonObject(answer.body()).getJsonArray("snapshots");
            assertEquals(3, started.size(), answer.body());
            Set<String> replicas = doc.shards().stream().flatMap(s -> s.replicas().stream()).map(TopologyDocument.Member::name)
                    .collect(Collectors.toSet());
            for (int i = 0; i < started.size(); i++) {
                JsonObject s = started.getJsonObject(i);
                assertEquals("replica", s.getString("role"), s.encode());
                assertTrue(replicas.contains(s.getString("node")), s.encode());
                awaitSucceeded(client, s.getString("id"));
            }

            JsonObject listing = new JsonObject(client.send("GET", "/v1/snapshots", null).body());
            assertEquals(3, listing.getJsonArray("snapshots").size(), listing.encode());
            assertTrue(listing.getJsonArray("snapshots").stream().allMatch(o -> ((JsonObject) o).getBoolean("good")), listing.encode());
            String table = io.warden.coordinator.cli.SnapshotCommands.table(listing);
            assertEquals(3, table.lines().filter(l -> l.contains("verified")).count(), table);

            for (TopologyDocument.Shard shard : doc.shards()) {
                RedisServer restored = restoreInto(Map.of("WARDEN_SNAPSHOT_TARGET", env.get("WARDEN_SNAPSHOT_TARGET"),
                        "WARDEN_DEPLOYMENT", "it"), shard.id());
                assertEquals(600L, restored.commands().dbsize());
                assertEquals(SnapshotData.digest(server(d, shard.master().redis())), SnapshotData.digest(restored), shard.id());
            }
        }
    }

    @Test
    void replicationModeSnapshotsToS3FromTheReplica() throws Exception {
        S3Proxies.bucket(s3, "backups", "warden");
        Map<String, String> env = new HashMap<>(S3Proxies.env(s3));
        env.putAll(Map.of("WARDEN_SNAPSHOT_TARGET", "s3://backups/warden", "WARDEN_DEPLOYMENT", "it"));
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 1, env)) {
            d.startCoordinator();
            TopologyDocument doc = d.awaitHealthy();
            RedisServer master = server(d, doc.shards().get(0).master().redis());
            SnapshotData.populate(master.commands(), 200);
            awaitReplicasCaughtUp(d, doc);

            CoordinatorClient client = new CoordinatorClient(URI.create(d.coordinatorUrl()), Optional.of(TestDeployment.TOKEN));
            CoordinatorClient.Answer answer = client.send("POST", "/v1/snapshots", "{\"shard\": \"shard-0\"}");
            assertEquals(202, answer.status(), answer.body());
            JsonObject s = new JsonObject(answer.body()).getJsonArray("snapshots").getJsonObject(0);
            assertEquals(doc.shards().get(0).replicas().get(0).name(), s.getString("node"));
            awaitSucceeded(client, s.getString("id"));

            RedisServer restored = restoreInto(env, "shard-0");
            assertEquals(SnapshotData.digest(master), SnapshotData.digest(restored));
        }
    }

    private RedisServer restoreInto(Map<String, String> env, String shard) {
        RedisServer fresh = redis.start(RedisSpec.standalone().withArgs("--enable-debug-command", "yes"));
        fresh.stop();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new RestoreCommand(Env.of(env), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of("--data-dir", fresh.dataDir().toString(), "--shard", shard));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        fresh.start();
        return fresh;
    }

    private static void awaitSucceeded(CoordinatorClient client, String id) {
        Eventually.await(Duration.ofSeconds(60), "snapshot " + id, () -> {
            try {
                JsonObject job = new JsonObject(client.send("GET", "/v1/snapshots/" + id, null).body());
                if ("failed".equals(job.getString("state"))) {
                    throw new AssertionError("snapshot " + id + " failed: " + job.encode());
                }
                return "succeeded".equals(job.getString("state"));
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static void awaitReplicasCaughtUp(TestDeployment d, TopologyDocument doc) {
        for (TopologyDocument.Shard shard : doc.shards()) {
            RedisServer master = server(d, shard.master().redis());
            for (TopologyDocument.Member r : shard.replicas()) {
                Eventually.await(Duration.ofSeconds(20), r.name() + " to catch up",
                        () -> server(d, r.redis()).commands().dbsize().equals(master.commands().dbsize()));
            }
        }
        // The coordinator reads lag from heartbeats: let one pass.
        Eventually.await(Duration.ofSeconds(20), "replicas reported in sync", () -> d.topology().healthy()
                && d.topology().shards().stream().flatMap(s -> s.replicas().stream()).allMatch(r -> r.lagBytes() != null && r.lagBytes() < 1024 * 1024));
    }

    private static boolean owns(TopologyDocument.Shard shard, long slot) {
        return shard.slots().stream().anyMatch(range -> {
            String[] ends = range.split("-");
            long lo = Long.parseLong(ends[0]);
            long hi = ends.length > 1 ? Long.parseLong(ends[1]) : lo;
            return slot >= lo && slot <= hi;
        });
    }

    private static RedisServer server(TestDeployment d, String address) {
        return d.servers().stream().filter(s -> s.address().equals(address)).findFirst().orElseThrow();
    }
}
