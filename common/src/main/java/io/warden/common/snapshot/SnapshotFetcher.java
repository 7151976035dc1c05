package io.warden.common.snapshot;

import io.warden.common.snapshot.SnapshotException.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Downloads one snapshot into a file and checks it on the way: its manifest must be there, and the bytes must
 * have the manifest's size and SHA-256 and a CRC64 trailer that verifies. The file appears under its final
 * name only when all of that holds (written to a hidden partial file, fsynced, renamed); otherwise nothing is
 * left and the reason is thrown.
 */
public final class SnapshotFetcher {

    private SnapshotFetcher() {
    }

    public static SnapshotManifest fetch(SnapshotStore store, SnapshotKey key, Path destination) throws SnapshotException {
        String where = store.describe().replaceFirst("/?$", "/") + key.rdbPath();
        SnapshotManifest manifest;
        try {
            Optional<String> json = store.readManifest(key);
            if (json.isEmpty()) {
                throw new SnapshotException(Reason.MANIFEST, "manifest missing for " + where
                        + ": the snapshot is incomplete or its manifest was removed; it cannot be verified");
            }
            manifest = ManifestJson.decode(json.get());
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(Reason.MANIFEST, "manifest of " + where + " is unreadable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SnapshotException(Reason.READ, "cannot read the manifest of " + where + ": " + e.getMessage(), e);
        }
        Path partial = destination.resolveSibling("." + destination.getFileName() + ".partial");
        try {
            RdbDigest digest = new RdbDigest();
            try (InputStream in = store.openRdb(key);
                 OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE)) {
                byte[] chunk = new byte[RdbSource.CHUNK];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    digest.update(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
            RdbDigest.RdbCheck check = digest.finish();
            if (check.size() != manifest.sizeBytes()) {
                throw new SnapshotException(Reason.VERIFY, where + " has " + check.size() + " bytes, its manifest says "
                        + manifest.sizeBytes() + " (truncated upload or replaced file)");
            }
            if (!check.sha256().equals(manifest.sha256())) {
                throw new SnapshotException(Reason.VERIFY, where + ": SHA-256 " + check.sha256() + " differs from the manifest's "
                        + manifest.sha256() + " (corrupted)");
            }
            if (check.problem().isPresent()) {
                throw new SnapshotException(Reason.VERIFY, where + ": " + check.problem().get());
            }
            FileStore.fsync(partial);
            Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileStore.fsync(destination.toAbsolutePath().getParent());
            return manifest;
        } catch (IOException e) {
            throw new SnapshotException(Reason.READ, "cannot download " + where + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // a hidden leftover; the destination was never created
            }
        }
    }
}
