package io.warden.coordinator.it;

import io.lettuce.core.KillArgs;
import io.lettuce.core.cluster.SlotHash;
import io.vertx.core.json.JsonObject;
import io.warden.coordinator.cli.SwitchoverCommand;
import io.warden.coordinator.local.LocalState;
import io.warden.coordinator.topology.TopologyDocument;
import io.warden.coordinator.topology.TopologyDocument.Member;
import io.warden.coordinator.topology.TopologyDocument.Shard;
import io.warden.testkit.Eventually;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switchover API's refusals on a real 3×1 cluster: each is a 409 (bad bodies a 400) with the reason as
 * {@code {"error": …}}, and nothing changes; one switchover at a time per shard; the CLI prints the reason.
 */
class SwitchoverRefusedIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void refusedSwitchoversAnswer409WithTheReasonAndChangeNothing() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            TopologyDocument before = d.awaitHealthy();
            Shard s0 = before.shards().get(0);
            Shard s1 = before.shards().get(1);

            assertRefused(d, "shard-9", null, "no shard shard-9; the shards are shard-0, shard-1, shard-2");
            assertRefused(d, "shard-0", "{\"to\": \"nobody\"}", "no node named nobody");
            assertRefused(d, "shard-0", "{\"to\": \"" + s1.master().name() + "\"}",
                    s1.master().name() + " is not a replica of shard-0's master " + s0.master().name());
            assertRefused(d, "shard-0", "{\"to\": \"" + s1.replicas().get(0).name() + "\"}",
                    s1.replicas().get(0).name() + " is not a replica of shard-0's master " + s0.master().name());
            assertRefused(d, "shard-0", "{\"to\": \"" + s0.master().name() + "\"}", s0.master().name() + " is already the master of shard-0");
            assertRefused(d, "shard-0", "{\"from\": \"" + s1.master().name() + "\"}",
                    s1.master().name() + " is not the master of shard-0; " + s0.master().name() + " is");

            assertBadRequest(d, "{not json", "malformed JSON");
            assertBadRequest(d, "{\"to\": 5}", "field 'to'");
            assertBadRequest(d, "{\"to\": \"\"}", "field 'to'");
            assertBadRequest(d, "[]", "expected a JSON object");
            assertNeedsTheToken(d.coordinatorUrl() + "/v1/shards/shard-0/switchover", "POST");

            refusesALaggingReplica(d, s1);

            TopologyDocument after = d.awaitHealthy();
            assertEquals(masters(before), masters(after), "no refused switchover moved a master");
            assertTrue(after.history().stream().noneMatch(e -> e.outcome().startsWith("switching")), after.history().toString());
        }
    }

    @Test
    void oneSwitchoverAtATimePerShardAndTheCliPrintsTheOutcomeOrTheRefusal() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "cluster", 3, 1)) {
            d.startCoordinator();
            Shard s2 = d.awaitHealthy().shards().get(2);

            List<CompletableFuture<HttpResponse<String>>> both = Stream.of(1, 2)
                    .map(i -> CompletableFuture.supplyAsync(() -> d.post("/v1/shards/shard-2/switchover", null))).toList();
            List<Integer> statuses = both.stream().map(f -> f.join().statusCode()).sorted().toList();
            assertEquals(List.of(200, 409), statuses, both.stream().map(f -> f.join().body()).toList().toString());
            String refusal = both.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 409).findFirst().orElseThrow().body();
            assertEquals("a switchover of shard-2 is already under way", new JsonObject(refusal).getString("error"));
            JsonObject done = new JsonObject(both.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).findFirst().orElseThrow().body());
            assertEquals(s2.master().name(), done.getString("oldMaster"));
            assertEquals(s2.replicas().get(0).name(), done.getString("newMaster"));
            d.awaitHealthy();

            Path dir = cliState(d);
            Cli refused = cli("--shard", "shard-7", "--dir", dir.toString());
            assertEquals(1, refused.exit());
            assertEquals("bin/warden switchover: refused: no shard shard-7; the shards are shard-0, shard-1, shard-2 (nothing changed)\n", refused.err());
            Cli back = cli("--shard", "shard-2", "--to", s2.master().name(), "--dir", dir.toString());
            assertEquals(0, back.exit(), back.err());
            assertTrue(back.out().startsWith("switched shard-2 over from " + s2.replicas().get(0).name() + " to " + s2.master().name()), back.out());
            assertEquals(s2.master().name(), d.awaitHealthy().shards().get(2).master().name());
        }
    }

    /** A replica whose link broke (its master refuses its AUTH) falls behind under writes: naming it is refused. */
    private static void refusesALaggingReplica(TestDeployment d, Shard shard) {
        Member replica = shard.replicas().get(0);
        RedisServer replicaServer = d.server(replica.name());
        RedisServer masterServer = d.server(shard.master().name());
        replicaServer.commands().configSet("masterauth", "not-the-password");
        replicaServer.commands().clientKill(KillArgs.Builder.typeMaster());
        String bulk = "x".repeat(64 * 1024);
        for (int i = 0; i < 40; i++) {
            masterServer.commands().set(keyInSlots(shard, i), bulk);
        }
        Eventually.await(Duration.ofSeconds(15), replica.name() + " over 1 MiB behind", () -> lagOf(d, replica.name()) > 1024 * 1024,
                () -> "lag " + lagOf(d, replica.name()));

        JsonObject named = refusal(d.post("/v1/shards/" + shard.id() + "/switchover", "{\"to\": \"" + replica.name() + "\"}"));
        assertTrue(named.getString("error").startsWith(replica.name() + " cannot take over " + shard.id() + ": it lags "), named.encode());
        JsonObject any = refusal(d.post("/v1/shards/" + shard.id() + "/switchover", null));
        assertTrue(any.getString("error").startsWith("no replica of " + shard.id() + " may take over: " + replica.name() + " it lags "), any.encode());

        replicaServer.commands().configSet("masterauth", "");
        Eventually.await(Duration.ofSeconds(15), replica.name() + " back in sync", () -> lagOf(d, replica.name()) == 0, () -> "lag " + lagOf(d, replica.name()));
    }

    private static long lagOf(TestDeployment d, String name) {
        return d.topology().shards().stream().flatMap(s -> s.replicas().stream()).filter(r -> r.name().equals(name))
                .map(Member::lagBytes).findFirst().orElse(-1L);
    }

    /** The i-th key (of a made-up series) that hashes into the shard's first slot range. */
    private static String keyInSlots(Shard shard, int i) {
        String[] range = shard.slots().get(0).split("-");
        int from = Integer.parseInt(range[0]);
        int to = Integer.parseInt(range[range.length - 1]);
        int found = 0;
        for (int n = 0; ; n++) {
            String key = "bulk:" + n;
            int slot = SlotHash.getSlot(key);
            if (slot >= from && slot <= to && found++ == i) {
                return key;
            }
        }
    }

    private static void assertRefused(TestDeployment d, String shard, String body, String reason) {
        assertEquals(reason, refusal(d.post("/v1/shards/" + shard + "/switchover", body)).getString("error"));
    }

    private static JsonObject refusal(HttpResponse<String> response) {
        assertEquals(409, response.statusCode(), response.body());
        return new JsonObject(response.body());
    }

    private static void assertBadRequest(TestDeployment d, String body, String mention) {
        HttpResponse<String> response = d.post("/v1/shards/shard-0/switchover", body);
        assertEquals(400, response.statusCode(), response.body());
        String error = new JsonObject(response.body()).getString("error");
        assertTrue(error.contains(mention), error);
    }

    /** Without the token: 401 with a JSON error. (preStop is open: the kubelet cannot send a token.) */
    private static void assertNeedsTheToken(String url, String method) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(new JsonObject(response.body()).containsKey("error"), response.body());
    }

    private static List<String> masters(TopologyDocument doc) {
        return doc.shards().stream().map(s -> s.master().name()).toList();
    }

    /** What {@code bin/warden up} leaves for the CLI: the coordinator's address and the token. */
    private static Path cliState(TestDeployment d) throws Exception {
        Path dir = Files.createTempDirectory("warden-cli-");
        dir.toFile().deleteOnExit();
        URI url = URI.create(d.coordinatorUrl());
        new LocalState("cluster", 3, 1, url.getHost(), url.getPort(), List.of()).write(dir);
        Files.writeString(dir.resolve("token"), TestDeployment.TOKEN);
        dir.resolve("token").toFile().deleteOnExit();
        dir.resolve("state.json").toFile().deleteOnExit();
        return dir;
    }

    private record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SwitchoverCommand.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
