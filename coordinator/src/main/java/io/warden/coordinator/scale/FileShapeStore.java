package io.warden.coordinator.scale;

import io.warden.common.wire.WireJson;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** The desired shape in {@code <state dir>/shape.json}, replaced atomically. */
public final class FileShapeStore implements ShapeStore {

    private final Path file;

    public FileShapeStore(Path stateDir) {
        this.file = stateDir.resolve("shape.json");
    }

    /** The file's form: plain fields, so a person can read it. */
    record Stored(String mode, int shards, int replicas) {
    }

    @Override
    public Optional<DesiredShape> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Stored stored = WireJson.decode(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
        return Optional.of(new DesiredShape(Mode.parse(stored.mode()), stored.shards(), stored.replicas(), true));
    }

    @Override
    public void save(DesiredShape shape) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("shape.json.tmp");
        Files.writeString(temp, WireJson.encode(new Stored(shape.mode().wireName(), shape.shards(), shape.replicas())), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
