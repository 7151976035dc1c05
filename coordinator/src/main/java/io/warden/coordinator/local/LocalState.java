package io.warden.coordinator.local;

import io.warden.common.wire.WireJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bin/warden up} created in its {@code --dir}: the shape, the coordinator's URL and every node's
 * addresses, so {@code up} again adopts the same deployment and {@code status}/{@code down} find it.
 */
public record LocalState(String mode, int shards, int replicas, String coordinatorHost, int coordinatorPort, List<LocalNode> nodes) {

    /** One Redis + agent pair: its pod-like name, its own loopback address, and a fake Kubernetes node. */
    public record LocalNode(String name, String host, int redisPort, int agentPort, String k8sNode) {

        public String redisAddress() {
            return host + ":" + redisPort;
        }
    }

    public LocalState {
        nodes = List.copyOf(nodes);
    }

    public String coordinatorUrl() {
        return "http://" + coordinatorHost + ":" + coordinatorPort;
    }

    public static Optional<LocalState> read(Path dir) {
        Path file = dir.resolve("state.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(WireJson.decode(Files.readString(file, StandardCharsets.UTF_8), LocalState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("state.json.tmp");
            Files.writeString(temp, WireJson.encode(this), StandardCharsets.UTF_8);
            Files.move(temp, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state in " + dir, e);
        }
    }

    /** The token local mode generated for its /v1 APIs, if any. */
    public static Optional<String> token(Path dir) {
        try {
            Path file = dir.resolve("token");
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
