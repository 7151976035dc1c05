package io.warden.coordinator.cli;

import io.warden.common.wire.WireJson;
import io.warden.coordinator.local.LocalState;
import io.warden.coordinator.topology.TopologyDocument;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The CLI's view of a coordinator: found from {@code --coordinator URL}, {@code WARDEN_COORDINATOR}, or the
 * {@code --dir} state that {@code bin/warden up} wrote (which also holds the token).
 */
public final class CoordinatorClient {

    private final URI base;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public CoordinatorClient(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
    }

    /** Finds the coordinator for a command, or throws a {@link Args.UsageError} saying how to name one. */
    public static CoordinatorClient locate(String command, Args args) {
        Optional<String> token = Optional.ofNullable(System.getenv("WARDEN_TOKEN")).filter(t -> !t.isBlank());
        Optional<String> url = args.value("coordinator").or(() -> Optional.ofNullable(System.getenv("WARDEN_COORDINATOR")).filter(u -> !u.isBlank()));
        if (url.isEmpty()) {
            Path dir = Path.of(args.value("dir", ".warden"));
            Optional<LocalState> state = LocalState.read(dir);
            if (state.isEmpty()) {
                throw new Args.UsageError(command, "no coordinator: pass --coordinator URL, set WARDEN_COORDINATOR, or run bin/warden up (no state in "
                        + dir.toAbsolutePath() + ")");
            }
            url = Optional.of(state.get().coordinatorUrl());
            if (token.isEmpty()) {
                token = LocalState.token(dir);
            }
        }
        return new CoordinatorClient(URI.create(url.get().replaceFirst("/+$", "")), token);
    }

    public URI base() {
        return base;
    }

    public TopologyDocument topology() throws IOException {
        return WireJson.decode(get("/v1/topology"), TopologyDocument.class);
    }

    /** A status and body, whatever the status. */
    public record Answer(int status, String body) {
    }

    /** POSTs a JSON body; answers whatever the coordinator said (4xx bodies carry the reason). */
    public Answer post(String path, String json) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the coordinator at " + base + " (connection refused)", e);
        }
    }

    public String get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(base.resolve(path) + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the coordinator at " + base + " (connection refused)", e);
        }
    }
}
