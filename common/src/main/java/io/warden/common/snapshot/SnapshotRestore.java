package io.warden.common.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts one snapshot into a Redis data directory before Redis starts: the agent's init step and
 * {@code bin/warden restore} both go through here.
 * <ol>
 *   <li>The RDB is downloaded and verified ({@link SnapshotFetcher}: manifest, size, SHA-256, CRC64) into
 *       {@code dump.rdb}; nothing is left when a check fails.</li>
 *   <li>With {@code aof}, it also becomes the base of a fresh multi-part AOF, for a Redis that runs with
 *       {@code appendonly yes}: Redis 7 then loads the AOF and ignores dump.rdb, and without an AOF it starts empty.</li>
 * </ol>
 */
public final class SnapshotRestore {

    private SnapshotRestore() {
    }

    public static SnapshotManifest into(SnapshotStore store, SnapshotKey key, Path dataDir, boolean aof) throws SnapshotException {
        Path rdb = dataDir.resolve("dump.rdb");
        SnapshotManifest manifest = SnapshotFetcher.fetch(store, key, rdb);
        if (aof) {
            try {
                writeAofBase(dataDir, rdb);
            } catch (IOException e) {
                throw new SnapshotException(SnapshotException.Reason.READ, "cannot set up the AOF in " + dataDir + ": " + e.getMessage(), e);
            }
        }
        return manifest;
    }

    /**
     * Redis 7's multi-part AOF: {@code appendonlydir/} holding a manifest that names an RDB-format base file. The
     * base is a hard link to the verified dump.rdb (no second copy; Redis replaces the base on its next rewrite).
     */
    static void writeAofBase(Path dataDir, Path rdb) throws IOException {
        Path aofDir = dataDir.resolve("appendonlydir");
        Files.createDirectories(aofDir);
        Path base = aofDir.resolve("appendonly.aof.1.base.rdb");
        Files.deleteIfExists(base);
        Files.createLink(base, rdb);
        Path manifest = aofDir.resolve("appendonly.aof.manifest");
        Files.writeString(manifest, "file appendonly.aof.1.base.rdb seq 1 type b\n", StandardCharsets.US_ASCII);
    }
}
