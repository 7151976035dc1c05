package io.warden.coordinator.scale;

import io.warden.common.slots.SlotRange;
import io.warden.common.slots.SlotSet;
import io.warden.common.wire.WireJson;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.RestorePlan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The desired shape in {@code <state dir>/shape.json}, replaced atomically. A scale request's shape is enforced;
 * {@code bin/warden restore} writes one that is not (held as {@code up} holds its shape) with its restore plan.
 */
public final class FileShapeStore implements ShapeStore {

    private final Path file;

    public FileShapeStore(Path stateDir) {
        this.file = stateDir.resolve("shape.json");
    }

    /**
     * The file's form: plain fields, so a person can read it. Files written before {@code enforced} and
     * {@code restore} existed lack them: enforced, no restore.
     */
    record Stored(String mode, int shards, int replicas, Boolean enforced, List<StoredEntry> restore) {
    }

    /** One restore entry: the node, the shard and snapshot it restores, and the manifest's slot ranges. */
    record StoredEntry(String node, String shard, String snapshot, List<String> slots) {
    }

    @Override
    public Optional<DesiredShape> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Stored stored = WireJson.decode(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
        List<RestorePlan.Entry> entries = stored.restore() == null ? List.of() : stored.restore().stream()
                .map(e -> new RestorePlan.Entry(e.node(), e.shard(), e.snapshot(), SlotSet.of(e.slots().stream().map(SlotRange::parse).toList())))
                .toList();
        return Optional.of(new DesiredShape(Mode.parse(stored.mode()), stored.shards(), stored.replicas(),
                stored.enforced() == null || stored.enforced(), new RestorePlan(entries)));
    }

    @Override
    public void save(DesiredShape shape) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling("shape.json.tmp");
        List<StoredEntry> restore = shape.restore().entries().stream().map(e -> new StoredEntry(e.node(), e.shard(), e.snapshot(),
                e.slots().ranges().stream().map(SlotRange::toString).toList())).toList();
        Files.writeString(temp, WireJson.encode(new Stored(shape.mode().wireName(), shape.shards(), shape.replicas(), shape.enforced(),
                restore.isEmpty() ? null : restore)), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
