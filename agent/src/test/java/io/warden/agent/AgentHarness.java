package io.warden.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.warden.agent.snapshot.RestoreCommand;
import io.warden.common.config.ConfigException;
import io.warden.common.config.Env;
import io.warden.common.log.Logging;
import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An agent running in this JVM next to a test Redis, configured through the same environment names as in
 * production, with an HTTP client for its endpoints. Closing it undeploys the agent and closes Vert.x.
 */
final class AgentHarness implements AutoCloseable {

    /** An HTTP answer: status and body. */
    record Answer(int status, String body) {

        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static {
        Logging.configure();
    }

    private final Vertx vertx;
    private final AgentVerticle agent;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Configuration errors the agent reported after it started (what would end the process). */
    final List<ConfigException> fatalErrors;

    private AgentHarness(Vertx vertx, AgentVerticle agent, List<ConfigException> fatalErrors) {
        this.vertx = vertx;
        this.agent = agent;
        this.fatalErrors = fatalErrors;
    }

    /** Environment for an agent next to {@code redis}: loopback HTTP on a free port, a fast tick. */
    static Map<String, String> envFor(RedisServer redis) {
        Map<String, String> env = new HashMap<>();
        env.put("WARDEN_REDIS_HOST", redis.host());
        env.put("WARDEN_REDIS_PORT", Integer.toString(redis.port()));
        env.put("WARDEN_HTTP_HOST", "127.0.0.1");
        env.put("WARDEN_HTTP_PORT", Integer.toString(LoopbackPorts.freePort("127.0.0.1")));
        env.put("WARDEN_OBSERVE_INTERVAL_MS", "200");
        redis.spec().password().ifPresent(p -> env.put("WARDEN_REDIS_PASSWORD", p));
        return env;
    }

    static AgentHarness start(RedisServer redis) {
        return start(envFor(redis));
    }

    /** Starts an agent; a failed start throws its cause (e.g. a {@link ConfigException}). */
    static AgentHarness start(Map<String, String> env) {
        AgentConfig config = AgentConfig.fromEnv(Env.of(env));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<ConfigException> fatal = new CopyOnWriteArrayList<>();
        AgentVerticle agent = new AgentVerticle(config, Clock.systemUTC(), fatal::add);
        try {
            vertx.deployVerticle(agent).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
        return new AgentHarness(vertx, agent, fatal);
    }

    Answer get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    AgentVerticle agent() {
        return agent;
    }

    int status(String path) {
        return get(path).status();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("agent did not stop", e);
        }
    }

    /** What {@code warden-agent.jar restore} answered: its exit status and what it printed. */
    record Restore(int exit, String out, String err) {
    }

    /** Runs the restore command (the pod's init step) in-process with {@code env}. */
    static Restore restore(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new RestoreCommand(Env.of(env), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
        return new Restore(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
