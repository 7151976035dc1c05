package io.warden.coordinator.local;

import io.warden.common.snapshot.SnapshotException;
import io.warden.common.snapshot.SnapshotManifest;
import io.warden.common.snapshot.SnapshotRestore;
import io.warden.common.snapshot.SnapshotStore;
import io.warden.coordinator.local.LocalState.LocalNode;
import io.warden.coordinator.restore.RestoreChoice;
import io.warden.coordinator.scale.FileShapeStore;
import io.warden.coordinator.topology.DesiredShape;
import io.warden.coordinator.topology.Mode;
import io.warden.coordinator.topology.RestorePlan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code bin/warden restore} in local mode, the parts that touch the disk. Fails closed: nothing is started unless
 * every snapshot was verified into place.
 * <ol>
 *   <li>{@link #refusal}: the directory must not hold a deployment or node data, and every address must be free.</li>
 *   <li>{@link #place}: shard i's snapshot goes into the data directory of {@code redis-i} (the layout spreads the
 *       first nodes over the fake Kubernetes nodes, so the masters are spread), verified, as dump.rdb and the base
 *       of a fresh AOF (local Redis runs with appendonly yes). Any failure removes every data directory it made.</li>
 *   <li>{@link #writeShape}: the coordinator's shape document, with the restore plan, before the coordinator starts.</li>
 * </ol>
 */
public final class LocalRestore {

    private LocalRestore() {
    }

    /** One shard's snapshot, in place in the data directory of the node that will be its master. */
    public record Placed(LocalNode node, SnapshotManifest manifest) {
    }

    /** Why {@code layout} cannot be restored into {@code dir} now, or empty. Changes nothing. */
    public static Optional<String> refusal(Path dir, LocalState layout) {
        if (LocalState.read(dir).isPresent()) {
            return Optional.of(dir.toAbsolutePath() + " already holds a deployment (state.json); a restore makes a fresh one: use another --dir,"
                    + " or bin/warden down and remove that directory");
        }
        if (Files.exists(shapeDir(dir).resolve("shape.json"))) {
            return Optional.of(shapeDir(dir).resolve("shape.json") + " exists: a coordinator's state is already there; use another --dir");
        }
        for (LocalNode node : layout.nodes()) {
            if (holdsFiles(dir.resolve(node.name()))) {
                return Optional.of(dir.toAbsolutePath().resolve(node.name()) + " is not empty: restore fills only fresh data directories");
            }
        }
        List<String> taken = new ArrayList<>();
        if (!LocalProcesses.free(layout.coordinatorHost(), layout.coordinatorPort())) {
            taken.add(layout.coordinatorHost() + ":" + layout.coordinatorPort());
        }
        for (LocalNode node : layout.nodes()) {
            Stream.of(node.redisPort(), node.agentPort()).filter(port -> !LocalProcesses.free(node.host(), port))
                    .forEach(port -> taken.add(node.host() + ":" + port));
        }
        return taken.isEmpty() ? Optional.empty() : Optional.of("addresses already in use: " + String.join(", ", taken)
                + " (is a bin/warden up deployment running? bin/warden down first, or restore with it kept)");
    }

    /** Verifies every chosen snapshot into place; on any failure removes every data directory it made and throws. */
    public static List<Placed> place(Path dir, LocalState layout, RestoreChoice choice, SnapshotStore store) throws SnapshotException {
        List<Placed> placed = new ArrayList<>();
        try {
            for (int i = 0; i < choice.shards().size(); i++) {
                LocalNode node = layout.nodes().get(i);
                Path data = dir.resolve(node.name());
                Files.createDirectories(data);
                placed.add(new Placed(node, SnapshotRestore.into(store, choice.shards().get(i).snapshot().key(), data, true)));
            }
            return placed;
        } catch (SnapshotException | IOException | RuntimeException e) {
            for (LocalNode node : layout.nodes()) {
                delete(dir.resolve(node.name()));
            }
            if (e instanceof SnapshotException failed) {
                throw failed;
            }
            throw new SnapshotException(SnapshotException.Reason.READ, "cannot place the snapshots in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The restore plan: each placed snapshot's node serves the slots its manifest lists. */
    public static RestorePlan plan(List<Placed> placed, RestoreChoice choice) {
        List<RestorePlan.Entry> entries = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            RestoreChoice.Chosen chosen = choice.shards().get(i);
            entries.add(new RestorePlan.Entry(placed.get(i).node().name(), chosen.manifest().shard(), chosen.id(), chosen.slots()));
        }
        return new RestorePlan(entries);
    }

    /** Where the coordinator that {@code up} starts keeps its shape: it reads the restore plan from there. */
    public static void writeShape(Path dir, LocalState layout, RestorePlan plan) throws IOException {
        new FileShapeStore(shapeDir(dir)).save(new DesiredShape(Mode.CLUSTER, layout.shards(), layout.replicas(), false, plan));
    }

    /** {@code DBSIZE} of a local Redis (no password in local mode): what a restored master holds. */
    public static long dbsize(LocalNode node) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.host(), node.redisPort()), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r'; ) {
                line.append((char) c);
            }
            if (line.length() < 2 || line.charAt(0) != ':') {
                throw new IOException(node.redisAddress() + " answered DBSIZE with \"" + line + "\"");
            }
            return Long.parseLong(line.substring(1));
        }
    }

    private static Path shapeDir(Path dir) {
        return dir.resolve("coordinator");
    }

    private static boolean holdsFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort; the caller reports the original failure
        }
    }
}
