package io.warden.coordinator.execute;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.warden.common.hash.Sha256;
import io.warden.common.http.BearerAuth;
import io.warden.common.wire.Instruction;
import io.warden.common.wire.InstructionResult;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.plan.Step;
import io.warden.coordinator.topology.ClusterView;
import io.warden.coordinator.topology.NodeView;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns plan steps into instructions and pushes each to its node's agent ({@code POST /v1/instructions}),
 * stamped with the epoch the plan was made in. Pushing rather than waiting for the next heartbeat puts a
 * decision in effect within one round trip. A step that fails is simply planned again on the next tick
 * from what Redis then reports: the executor keeps no queue and never retries on its own.
 */
public final class Executor implements AutoCloseable {

    /** Finishing a migration moves keys; everything else is one Redis command. */
    private static final long TIMEOUT_MS = 30_000;

    private final HttpClient http;
    private final Optional<String> token;
    private final MeterRegistry metrics;
    /** Agents (by URL) this executor has sent an instruction to. */
    private final Set<String> instructed = ConcurrentHashMap.newKeySet();

    public Executor(Vertx vertx, Optional<String> token, MeterRegistry metrics) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setKeepAlive(true));
        this.token = token;
        this.metrics = metrics;
    }

    /**
     * What happened to one step; {@code sequence} is the agent's number for it (0 when the agent never carried
     * it out), which its reports reach once they were observed after it.
     */
    public record Outcome(Step step, boolean ok, String message, long sequence) {
    }

    /** Runs every step at once (they touch different nodes or commute) and answers when all have answered. */
    public Future<List<Outcome>> execute(List<Step> steps, ClusterView view, long epoch) {
        List<Future<Outcome>> running = steps.stream().map(step -> run(step, view, epoch)).toList();
        return Future.join(running).transform(done -> Future.succeededFuture(running.stream().map(Future::result).toList()));
    }

    /**
     * Sends {@code REPORT_NOW} to every reachable agent not instructed yet; answers once they have answered (the loop
     * does not wait). A coordinator's first instruction to an agent pays for first use on both ends: in
     * bench/scale.sh 0.17-0.27 s from the plan to the agent receiving it (SHA-256's provider, the HTTP client and its
     * connection, the JSON binding, the agent's instruction route), against a few milliseconds once warm. Sent while
     * nothing else is to be done, so that cost comes before the first decision that matters (a failover, a slot
     * move), not with it. The report it asks for is one the agent sends every heartbeat anyway.
     */
    public Future<List<Outcome>> warm(ClusterView view, long epoch) {
        // Only agents still in the view are remembered: pods that come back at new addresses do not pile up here.
        instructed.retainAll(view.nodes().stream().map(NodeView::agentUrl).toList());
        return execute(view.reachable().stream().filter(n -> !instructed.contains(n.agentUrl()))
                .map(n -> Step.reportNow(n.name(), "first contact: warms the instruction path")).toList(), view, epoch);
    }

    private Future<Outcome> run(Step step, ClusterView view, long epoch) {
        Optional<NodeView> node = view.byName(step.node());
        if (node.isEmpty()) {
            return Future.succeededFuture(new Outcome(step, false, "no agent named " + step.node(), 0));
        }
        instructed.add(node.get().agentUrl());
        Instruction instruction = new Instruction(id(step), epoch, step.action(), step.args());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(node.get().agentUrl() + "/v1/instructions")
                .setIdleTimeout(TIMEOUT_MS)
                .putHeader("Content-Type", "application/json");
        BearerAuth.header(token).ifPresent(h -> options.putHeader("Authorization", h));
        Timer.Sample sample = Timer.start(metrics);
        return http.request(options)
                .compose(request -> request.send(Buffer.buffer(WireJson.encode(instruction))))
                .compose(response -> response.body().map(body -> new Outcome(step, response.statusCode() == 200,
                        response.statusCode() + " " + body, sequenceOf(response.statusCode(), body.toString()))))
                .otherwise(failure -> new Outcome(step, false, "agent unreachable: " + failure.getMessage(), 0))
                .andThen(done -> sample.stop(Timer.builder("warden.instruction.duration")
                        .description("From pushing an instruction to the agent's answer: how soon a decision takes effect")
                        .tag("action", step.action().name())
                        .tag("ok", Boolean.toString(done.result().ok()))
                        .register(metrics)));
    }

    /** Carried out (done, or refused by Redis): the answer is a numbered InstructionResult. */
    private static long sequenceOf(int status, String body) {
        if (status != 200 && status != 422) {
            return 0;
        }
        try {
            return WireJson.decode(body, InstructionResult.class).sequence();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The same step always gets the same id, so an agent (and a log reader) recognises a repeat. */
    static String id(Step step) {
        String canonical = step.node() + "|" + step.action() + "|" + new TreeMap<>(step.args());
        return Sha256.hex(canonical, 8);
    }

    @Override
    public void close() {
        http.close();
    }
}
