package io.warden.common.snapshot;

import java.util.Optional;

/**
 * A snapshot as found in a target, with the verdict a listing can give without reading the RDB: good when its
 * manifest is there, readable and names the size the RDB has. Restore checks every byte again.
 *
 * @param key      where it is
 * @param rdbBytes the RDB's size in the target
 * @param manifest the manifest, when present and readable
 * @param problem  why it is not good, empty when it is
 */
public record StoredSnapshot(SnapshotKey key, long rdbBytes, Optional<SnapshotManifest> manifest, Optional<String> problem) {

    public boolean good() {
        return problem.isEmpty();
    }

    /** Judges a listed RDB by its manifest (raw JSON, absent when there is none). */
    public static StoredSnapshot judge(SnapshotKey key, long rdbBytes, Optional<String> manifestJson) {
        if (manifestJson.isEmpty()) {
            return new StoredSnapshot(key, rdbBytes, Optional.empty(), Optional.of("manifest missing: " + key.manifestPath()
                    + " (an interrupted snapshot, or the manifest was removed)"));
        }
        SnapshotManifest manifest;
        try {
            manifest = ManifestJson.decode(manifestJson.get());
        } catch (IllegalArgumentException e) {
            return new StoredSnapshot(key, rdbBytes, Optional.empty(), Optional.of("manifest unreadable: " + e.getMessage()));
        }
        if (manifest.sizeBytes() != rdbBytes) {
            return new StoredSnapshot(key, rdbBytes, Optional.of(manifest), Optional.of("the RDB has " + rdbBytes
                    + " bytes, its manifest says " + manifest.sizeBytes() + " (truncated or replaced)"));
        }
        return new StoredSnapshot(key, rdbBytes, Optional.of(manifest), Optional.empty());
    }
}
