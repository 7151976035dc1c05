package io.warden.coordinator.it;

import io.warden.testkit.Promtool;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The /v1 contract on both processes: a token is required and compared in full, bad bodies get a 400 naming
 * the field and change nothing, probes and metrics stay open.
 */
class ApiContractIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private TestDeployment d;

    @BeforeEach
    void start() throws Exception {
        d = TestDeployment.nodes(redis, "replication", 1, 0);
        d.startCoordinator();
        d.awaitHealthy();
    }

    @AfterEach
    void stop() {
        d.close();
    }

    @Test
    void v1NeedsTheTokenWhileProbesAndMetricsStayOpen() throws Exception {
        assertEquals(401, send("GET", "/v1/topology", null, null).statusCode());
        HttpResponse<String> wrong = send("GET", "/v1/topology", "Bearer not-the-token", null);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("\"error\""), wrong.body());
        assertEquals(200, send("GET", "/v1/topology", "Bearer " + TestDeployment.TOKEN, null).statusCode());
        assertEquals(200, send("GET", "/health", null, null).statusCode());
        assertEquals(200, send("GET", "/ready", null, null).statusCode());
        HttpResponse<String> metrics = send("GET", "/metrics", null, null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("warden_coordinator_leader 1"), metrics.body());
        Promtool.assertValid(metrics.body());
    }

    @Test
    void malformedOrMistypedHeartbeatsAreRefusedNamingTheField() throws Exception {
        String auth = "Bearer " + TestDeployment.TOKEN;
        HttpResponse<String> malformed = send("PUT", "/v1/agents/x", auth, "{not json");
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("malformed JSON"), malformed.body());

        HttpResponse<String> mistyped = send("PUT", "/v1/agents/x", auth, "{\"name\":\"x\",\"replicationOffset\":\"lots\"}");
        assertEquals(400, mistyped.statusCode());
        assertTrue(mistyped.body().contains("replicationOffset"), mistyped.body());

        HttpResponse<String> mismatch = send("PUT", "/v1/agents/x", auth, "{\"name\":\"y\",\"redisAddress\":\"127.0.0.9:1\","
                + "\"agentUrl\":\"http://127.0.0.9:2\",\"role\":\"master\",\"replicationOffset\":0,\"redisUp\":true,\"linkUp\":false,"
                + "\"keys\":0,\"dataAtStart\":false,\"clusterEnabled\":false,\"epochSeen\":0,\"appliedThrough\":0}");
        assertEquals(400, mismatch.statusCode());
        assertTrue(mismatch.body().contains("does not match"), mismatch.body());

        HttpResponse<String> huge = send("PUT", "/v1/agents/x", auth, "{\"name\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}");
        assertEquals(413, huge.statusCode());
        assertTrue(huge.body().contains("too large"), huge.body());

        assertEquals(1, d.topology().shards().size() + d.topology().spares().size(), "nothing was registered");
        assertEquals(404, send("GET", "/v1/nothing-here", auth, null).statusCode());
    }

    @Test
    void agentInstructionsNeedTheTokenAValidBodyAndACurrentEpoch() throws Exception {
        RedisServer server = d.servers().get(0);
        String agent = d.topology().shards().get(0).master().agent();
        String auth = "Bearer " + TestDeployment.TOKEN;
        assertEquals(401, send("POST", agent, "/v1/instructions", null, "{}").statusCode());
        HttpResponse<String> missing = send("POST", agent, "/v1/instructions", auth,
                "{\"id\":\"m\",\"epoch\":1,\"action\":\"CLUSTER_MEET\",\"args\":{\"host\":\"127.0.0.1\"}}");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("args.port"), missing.body());
        HttpResponse<String> unknown = send("POST", agent, "/v1/instructions", auth, "{\"id\":\"u\",\"epoch\":1,\"action\":\"FLUSHALL\"}");
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("action"), unknown.body());
        HttpResponse<String> stale = send("POST", agent, "/v1/instructions", auth, "{\"id\":\"s\",\"epoch\":0,\"action\":\"PROMOTE\"}");
        assertEquals(409, stale.statusCode(), stale.body());
        assertEquals("master", server.commands().info("replication").lines()
                .filter(l -> l.startsWith("role:")).findFirst().orElseThrow().substring(5).strip());
    }

    /** A heartbeat may leave out an unchanged cluster view; one the coordinator does not hold is asked for again. */
    @Test
    void omittedClusterViewIsMergedOnlyWhenTheCoordinatorHoldsThatDigest() throws Exception {
        String auth = "Bearer " + TestDeployment.TOKEN;
        String id = "c".repeat(40);
        String base = "{\"name\":\"c-0\",\"redisAddress\":\"127.0.0.9:1\",\"agentUrl\":\"http://127.0.0.9:2\",\"role\":\"master\","
                + "\"redisUp\":true,\"clusterEnabled\":true,\"nodeId\":\"" + id + "\",\"clusterViewHash\":\"digest-1\"";
        String view = ",\"clusterNodes\":[{\"id\":\"" + id + "\",\"host\":\"127.0.0.9\",\"port\":1,\"flags\":[\"myself\",\"master\"],"
                + "\"configEpoch\":0,\"connected\":true,\"slots\":[{\"start\":0,\"end\":99}],\"openSlots\":[]}]";

        HttpResponse<String> unknown = send("PUT", "/v1/agents/c-0", auth, base + "}");
        assertEquals(200, unknown.statusCode());
        assertTrue(!unknown.body().contains("digest-1"), "not held yet, so the agent must send it: " + unknown.body());

        HttpResponse<String> full = send("PUT", "/v1/agents/c-0", auth, base + view + "}");
        assertTrue(full.body().contains("\"clusterViewHash\":\"digest-1\""), full.body());

        HttpResponse<String> omitted = send("PUT", "/v1/agents/c-0", auth, base + "}");
        assertTrue(omitted.body().contains("\"clusterViewHash\":\"digest-1\""), omitted.body());
        assertTrue(d.get("/v1/topology").contains("c-0"), "the node is known with the view it sent before");
    }

    private HttpResponse<String> send(String method, String path, String auth, String body) throws Exception {
        return send(method, d.coordinatorUrl(), path, auth, body);
    }

    private HttpResponse<String> send(String method, String base, String path, String auth, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
