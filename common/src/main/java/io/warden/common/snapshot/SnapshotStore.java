package io.warden.common.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where snapshots are kept: a mounted volume ({@code file:///path}) or S3-compatible storage
 * ({@code s3://bucket/prefix}). One adapter per backend; what a snapshot is and how it is checked lives outside
 * them ({@link SnapshotPublisher}, {@link SnapshotFetcher}).
 */
public interface SnapshotStore extends AutoCloseable {

    /** The target as configured, e.g. {@code s3://backups/warden}. */
    String describe();

    /**
     * Streams the whole of {@code source} to the key's RDB, then asks {@code complete} for the manifest. Both become
     * visible together and only if {@code complete} answers one; if it throws, or anything fails on the way,
     * nothing stays behind.
     */
    void publish(SnapshotKey key, RdbSource source, Completion complete) throws SnapshotException;

    /** Every snapshot of a deployment, all shards, with the verdict of {@link StoredSnapshot#judge}. */
    List<StoredSnapshot> list(String deployment) throws IOException;

    /** One snapshot's entry, or empty when its RDB is not there. */
    Optional<StoredSnapshot> find(SnapshotKey key) throws IOException;

    /** The manifest JSON, empty when there is none. */
    Optional<String> readManifest(SnapshotKey key) throws IOException;

    InputStream openRdb(SnapshotKey key) throws IOException;

    /** Removes a snapshot, manifest first (so it stops counting as good before its RDB goes). */
    void delete(SnapshotKey key) throws IOException;

    @Override
    void close();

    /** Called once the RDB is fully written: checks it and answers the manifest JSON to publish with it. */
    @FunctionalInterface
    interface Completion {
        String manifest() throws SnapshotException;
    }
}
