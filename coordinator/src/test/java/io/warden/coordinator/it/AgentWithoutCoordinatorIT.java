package io.warden.coordinator.it;

import io.warden.testkit.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DESIGN.md rule 5: an agent that cannot reach the coordinator keeps serving, and registers once it can. */
class AgentWithoutCoordinatorIT {

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @Test
    void agentServesProbesAndMetricsUntilTheCoordinatorAppearsThenRegisters() throws Exception {
        try (TestDeployment d = TestDeployment.nodes(redis, "replication", 1, 0)) {
            Thread.sleep(1500);   // several heartbeats into the void, and some backoff
            HttpClient http = HttpClient.newHttpClient();
            String agent = agentUrl(d);
            for (String probe : new String[] {"/live", "/health", "/ready", "/metrics"}) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(agent + probe)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), probe + ": " + answer.body());
            }
            d.startCoordinator();
            var doc = d.awaitHealthy();
            assertEquals(d.servers().get(0).address(), doc.shards().get(0).master().redis());
            assertTrue(doc.epoch() >= 1);
        }
    }

    /** The agent's URL, read back from where TestDeployment started it (its Redis host, a free port). */
    private static String agentUrl(TestDeployment d) {
        return d.agentUrl(d.servers().get(0));
    }
}
