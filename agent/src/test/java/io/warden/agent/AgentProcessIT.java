package io.warden.agent;

import io.warden.testkit.Eventually;
import io.warden.testkit.LoopbackPorts;
import io.warden.testkit.RedisServer;
import io.warden.testkit.RedisServers;
import io.warden.testkit.RedisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as a process: what a person sees when the configuration is wrong, a clean stop, and a kill. */
class AgentProcessIT {

    private static final Path JAR = Path.of("target/warden-agent.jar");

    @RegisterExtension
    final RedisServers redis = new RedisServers();

    private record Exit(int status, String stderr) {
    }

    @Test
    void badPortStopsStartWithOneLineNamingTheVariable() throws Exception {
        Exit exit = runToExit(Map.of("WARDEN_HTTP_PORT", "abc"), List.of());
        assertEquals(2, exit.status());
        assertEquals("warden agent: WARDEN_HTTP_PORT: expected a port number from 1 to 65535, got \"abc\"", exit.stderr().strip());
    }

    @Test
    void unreadablePasswordFileStopsStartNamingTheVariable() throws Exception {
        Exit exit = runToExit(Map.of("WARDEN_REDIS_PASSWORD_FILE", "/nonexistent/password"), List.of());
        assertEquals(2, exit.status());
        assertTrue(exit.stderr().strip().startsWith("warden agent: WARDEN_REDIS_PASSWORD_FILE: cannot read /nonexistent/password"), exit.stderr());
        assertEquals(1, exit.stderr().strip().lines().count());
    }

    @Test
    void wrongPasswordStopsStartWithOneClearLineAndNoStackTrace() throws Exception {
        RedisServer secured = redis.start(RedisSpec.standalone().withPassword("right"));
        Exit exit = runToExit(Map.of(
                "WARDEN_REDIS_HOST", secured.host(),
                "WARDEN_REDIS_PORT", Integer.toString(secured.port()),
                "WARDEN_REDIS_PASSWORD", "wrong",
                "WARDEN_HTTP_HOST", "127.0.0.1",
                "WARDEN_HTTP_PORT", Integer.toString(LoopbackPorts.freePort("127.0.0.1"))), List.of());
        assertEquals(2, exit.status());
        String error = exit.stderr().lines().filter(l -> l.startsWith("warden agent:")).findFirst().orElse("");
        assertTrue(error.startsWith("warden agent: WARDEN_REDIS_PASSWORD: redis at " + secured.address()), exit.stderr());
        assertFalse(exit.stderr().contains("\tat "), "no stack trace: " + exit.stderr());
    }

    @Test
    void unknownCommandIsRefused() throws Exception {
        Exit exit = runToExit(Map.of(), List.of("frobnicate"));
        assertEquals(2, exit.status());
        assertTrue(exit.stderr().contains("unknown command frobnicate"), exit.stderr());
    }

    @Test
    void servesMetricsAndStopsCleanlyOnSigterm() throws Exception {
        int port = LoopbackPorts.freePort("127.0.0.1");
        Process agent = startNextToRedis(port);
        try {
            awaitScrape(port);
            agent.destroy();
            assertTrue(agent.waitFor(15, TimeUnit.SECONDS), "the agent stops within 15 s of SIGTERM");
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void aKilledAgentLeavesNothingInItsTempDirectory(@TempDir Path tmp) throws Exception {
        int port = LoopbackPorts.freePort("127.0.0.1");
        Process agent = startNextToRedis(port, "-Djava.io.tmpdir=" + tmp);
        try {
            awaitScrape(port);
        } finally {
            agent.destroyForcibly();
            agent.waitFor(15, TimeUnit.SECONDS);
        }
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(f -> f.getFileName().toString()).toList(), "files a kill -9 left behind");
        }
    }

    /** The agent as a sidecar of a fresh standalone Redis, serving HTTP on 127.0.0.1:{@code port}. */
    private Process startNextToRedis(int port, String... jvmOptions) throws IOException {
        RedisServer master = redis.start(RedisSpec.standalone());
        return start(Map.of(
                "WARDEN_REDIS_HOST", master.host(),
                "WARDEN_REDIS_PORT", Integer.toString(master.port()),
                "WARDEN_HTTP_HOST", "127.0.0.1",
                "WARDEN_HTTP_PORT", Integer.toString(port)), List.of("agent"), jvmOptions);
    }

    private static Process start(Map<String, String> env, List<String> args, String... jvmOptions) throws IOException {
        assertTrue(Files.exists(JAR), "the shaded jar is built in the package phase: " + JAR.toAbsolutePath());
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xmx64m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("WARDEN_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitScrape(int port) {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        Eventually.await(Duration.ofSeconds(20), "a good scrape", () -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\nredis_up 1");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static Exit runToExit(Map<String, String> env, List<String> args) throws Exception {
        Process process = start(env, args);
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the agent did not exit within 30 s");
        }
        return new Exit(process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
