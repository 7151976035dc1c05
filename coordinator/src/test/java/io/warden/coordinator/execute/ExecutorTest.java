package io.warden.coordinator.execute;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.warden.common.redis.Role;
import io.warden.common.slots.SlotSet;
import io.warden.coordinator.plan.Step;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.NodeView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor's first contact with each agent: one REPORT_NOW per agent it has not instructed yet, never more. */
class ExecutorTest {

    private final Vertx vertx = Vertx.vertx();
    /** What each stand-in agent received, as "port action epoch". */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<HttpServer> agents = new CopyOnWriteArrayList<>();
    private Executor executor;

    @BeforeEach
    void start() throws Exception {
        executor = new Executor(vertx, Optional.empty(), new SimpleMeterRegistry());
        for (int i = 0; i < 3; i++) {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                JsonObject instruction = body.toJsonObject();
                received.add(request.localAddress().port() + " " + instruction.getString("action") + " " + instruction.getLong("epoch"));
                request.response().setStatusCode(200).end(new JsonObject().put("id", instruction.getString("id"))
                        .put("ok", true).put("message", "reporting now").put("sequence", 1).encode());
            }));
            agents.add(server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    @AfterEach
    void stop() throws Exception {
        executor.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void warmingTellsEachReachableAgentToReportOnceAndSkipsAgentsAlreadyInstructed() throws Exception {
        ClusterView view = new ClusterView(Mode.CLUSTER, List.of(node(0, true), node(1, true), node(2, false)));

        executor.execute(List.of(Step.reportNow("redis-0", "a plan's step")), view, 7).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        var first = executor.warm(view, 7).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        var second = executor.warm(view, 7).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(1, first.size(), "only redis-1: redis-0 was instructed already, redis-2 is unreachable");
        assertTrue(first.get(0).ok(), first.get(0).message());
        assertEquals(0, second.size(), "every reachable agent has been instructed");
        assertEquals(Stream.of(port(0) + " REPORT_NOW 7", port(1) + " REPORT_NOW 7").sorted().toList(),
                received.stream().sorted().toList(), "one instruction each: the plan's step, then the warming one");
    }

    private int port(int i) {
        return agents.get(i).actualPort();
    }

    private NodeView node(int i, boolean reachable) {
        return new NodeView("redis-" + i, "127.0.0.1:" + (7000 + i), "http://127.0.0.1:" + port(i), "", "", reachable,
                Role.MASTER, "", "", "", false, 0, 0, false, SlotSet.empty(), List.of(), Map.of());
    }
}
