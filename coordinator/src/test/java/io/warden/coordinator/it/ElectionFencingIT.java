package io.warden.coordinator.it;

import io.vertx.core.Vertx;
import io.warden.agent.AgentConfig;
import io.warden.agent.AgentVerticle;
import io.warden.common.config.Env;
import io.warden.common.log.Logging;
import io.warden.coordinator.CoordinatorConfig;
import io.warden.coordinator.CoordinatorVerticle;
import io.warden.coordinator.election.LeaseElection;
import io.warden.coordinator.election.LeaseSettings;
import io.warden.coordinator.kube.KubeApiMock;
import io.warden.testkit.Eventually;
import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md rule 1, end to end on a Kubernetes API server (fabric8's CRUD mock, the official client): two
 * coordinators, one leads; the leader stops, the other leads a later term; the agent learns the new epoch and
 * refuses an instruction from the old one.
 */
class ElectionFencingIT {

    static {
        Logging.configure();
    }

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    @RegisterExtension
    final KubeApiMock kube = new KubeApiMock();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDeposedLeadersInstructionIsRefusedByTheAgent() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            RedisServer server = redis.start(RedisSpec.standalone());
            int portA = LoopbackPorts.freePort("127.0.0.1");
            int portB = LoopbackPorts.freePort("127.0.0.1");
            CoordinatorVerticle a = coordinator("coordinator-a", portA);
            String deploymentA = TestDeployment.await(vertx.deployVerticle(a));
            Eventually.await(Duration.ofSeconds(20), "coordinator-a to lead", () -> leading(portA));
            CoordinatorVerticle b = coordinator("coordinator-b", portB);
            TestDeployment.await(vertx.deployVerticle(b));

            // The agent talks to the follower, which forwards to the leader, as a Service would route it.
            int agentPort = LoopbackPorts.freePort(server.host());
            AgentVerticle agent = new AgentVerticle(AgentConfig.fromEnv(Env.of(agentEnv(server, agentPort, portB))), Clock.systemUTC(), e -> { });
            TestDeployment.await(vertx.deployVerticle(agent));
            Eventually.await(Duration.ofSeconds(20), "the agent to learn the first epoch", () -> agent.epochSeen() > 0);
            long oldEpoch = agent.epochSeen();
            assertTrue(!leading(portB), "exactly one coordinator leads");

            TestDeployment.await(vertx.undeploy(deploymentA));
            Eventually.await(Duration.ofSeconds(20), "coordinator-b to lead", () -> leading(portB));
            Eventually.await(Duration.ofSeconds(20), "the agent to learn the new epoch", () -> agent.epochSeen() > oldEpoch);

            HttpResponse<String> refused = instruct(server.host(), agentPort, oldEpoch);
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("stale epoch " + oldEpoch), refused.body());
            HttpResponse<String> accepted = instruct(server.host(), agentPort, agent.epochSeen());
            assertEquals(200, accepted.statusCode(), accepted.body());
        } finally {
            TestDeployment.await(vertx.close());
        }
    }

    private CoordinatorVerticle coordinator(String name, int port) {
        CoordinatorConfig config = CoordinatorConfig.fromEnv(Env.of(Map.of(
                "WARDEN_MODE", "replication", "WARDEN_REPLICAS", "0",
                "WARDEN_HTTP_HOST", "127.0.0.1", "WARDEN_HTTP_PORT", Integer.toString(port),
                "WARDEN_TOKEN", TestDeployment.TOKEN, "WARDEN_HEARTBEAT_MS", "200", "WARDEN_RECONCILE_MS", "200",
                "POD_NAME", name, "WARDEN_ELECTION", "kubernetes")));
        LeaseElection election = new LeaseElection(kube.client(), new LeaseSettings("default", "warden-coordinator", name,
                config.advertisedUrl(), Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200)));
        return new CoordinatorVerticle(config, election, Clock.systemUTC(), view -> { });
    }

    private static Map<String, String> agentEnv(RedisServer server, int agentPort, int coordinatorPort) {
        Map<String, String> env = new HashMap<>();
        env.put("WARDEN_REDIS_HOST", server.host());
        env.put("WARDEN_REDIS_PORT", Integer.toString(server.port()));
        env.put("WARDEN_HTTP_HOST", server.host());
        env.put("WARDEN_HTTP_PORT", Integer.toString(agentPort));
        env.put("POD_NAME", "redis-0");
        env.put("WARDEN_COORDINATOR", "http://127.0.0.1:" + coordinatorPort);
        env.put("WARDEN_TOKEN", TestDeployment.TOKEN);
        env.put("WARDEN_HEARTBEAT_MS", "200");
        env.put("WARDEN_MAXMEMORY_RATIO", "0");
        return env;
    }

    private boolean leading(int port) {
        try {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ready.body().contains("\"leading\":true");
        } catch (Exception e) {
            return false;
        }
    }

    private HttpResponse<String> instruct(String host, int port, long epoch) throws Exception {
        String body = "{\"id\":\"promote-1\",\"epoch\":" + epoch + ",\"action\":\"PROMOTE\",\"args\":{}}";
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/v1/instructions"))
                .header("Authorization", "Bearer " + TestDeployment.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
