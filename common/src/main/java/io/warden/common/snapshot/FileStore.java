package io.warden.common.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Snapshots on a mounted volume (a PVC): {@code <root>/<deployment>/<shard>/<name>.rdb} and {@code <name>.json}.
 * <ol>
 *   <li>The RDB is written to a hidden {@code .<name>.rdb.partial}, fsynced, then renamed to its name;</li>
 *   <li>the manifest likewise, renamed last: it is the commit point, a listing counts only RDBs that have one;</li>
 *   <li>the directory is fsynced so both renames survive a crash.</li>
 * </ol>
 */
public final class FileStore implements SnapshotStore {

    private final Path root;

    public FileStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    @Override
    public void publish(SnapshotKey key, RdbSource source, Completion complete) throws SnapshotException {
        Path rdb = root.resolve(key.rdbPath());
        Path dir = rdb.getParent();
        Path partial = dir.resolve("." + key.name() + ".rdb.partial");
        Path manifestPartial = dir.resolve("." + key.name() + ".json.partial");
        try {
            Files.createDirectories(dir);
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE); InputStream in = source.whole()) {
                byte[] chunk = new byte[RdbSource.CHUNK];
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                for (int n; (n = in.read(chunk, 0, chunk.length)) > 0; ) {
                    buffer.clear().limit(n);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                out.force(true);
            }
            String manifest = complete.manifest();
            Files.writeString(manifestPartial, manifest, StandardCharsets.UTF_8);
            fsync(manifestPartial);
            Files.move(partial, rdb, StandardCopyOption.ATOMIC_MOVE);
            Files.move(manifestPartial, root.resolve(key.manifestPath()), StandardCopyOption.ATOMIC_MOVE);
            fsync(dir);
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Reason.UPLOAD, "cannot write " + rdb + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
            deleteQuietly(manifestPartial);
        }
    }

    @Override
    public List<StoredSnapshot> list(String deployment) throws IOException {
        Path base = root.resolve(deployment);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        List<StoredSnapshot> found = new ArrayList<>();
        try (Stream<Path> shards = Files.list(base)) {
            for (Path shard : shards.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(shard)) {
                    for (Path rdb : files.filter(FileStore::isRdb).sorted(Comparator.reverseOrder()).toList()) {
                        String file = rdb.getFileName().toString();
                        SnapshotKey key = new SnapshotKey(deployment, shard.getFileName().toString(), file.substring(0, file.length() - 4));
                        found.add(StoredSnapshot.judge(key, Files.size(rdb), readManifest(key)));
                    }
                }
            }
        }
        return found;
    }

    @Override
    public Optional<StoredSnapshot> find(SnapshotKey key) throws IOException {
        Path rdb = root.resolve(key.rdbPath());
        return Files.isRegularFile(rdb) ? Optional.of(StoredSnapshot.judge(key, Files.size(rdb), readManifest(key))) : Optional.empty();
    }

    @Override
    public Optional<String> readManifest(SnapshotKey key) throws IOException {
        try {
            return Optional.of(Files.readString(root.resolve(key.manifestPath()), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream openRdb(SnapshotKey key) throws IOException {
        return Files.newInputStream(root.resolve(key.rdbPath()));
    }

    @Override
    public void delete(SnapshotKey key) throws IOException {
        Files.deleteIfExists(root.resolve(key.manifestPath()));
        Files.deleteIfExists(root.resolve(key.rdbPath()));
    }

    @Override
    public void close() {
        // nothing held open
    }

    private static boolean isRdb(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".rdb") && !name.startsWith(".") && Files.isRegularFile(file);
    }

    static void fsync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Cleans up after a failed write; a leftover hidden partial file is never listed, so failing to remove it is harmless. */
    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // see above
        }
    }
}
