package io.warden.common.snapshot;

import io.warden.common.snapshot.SnapshotException.Reason;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Publishes an RDB file as a snapshot: streams it to the store once, checking it on the way
 * ({@link RdbDigest}), and writes the manifest only when the check passed. A failed check publishes nothing.
 */
public final class SnapshotPublisher {

    private SnapshotPublisher() {
    }

    /**
     * @param rdb        the RDB Redis wrote; opened once, so a newer save renamed over it meanwhile does not mix in
     * @param manifestOf the manifest for the checked bytes
     */
    public static SnapshotManifest publish(SnapshotStore store, SnapshotKey key, Path rdb,
                                           Function<RdbDigest.RdbCheck, SnapshotManifest> manifestOf) throws SnapshotException {
        try (FileChannel channel = FileChannel.open(rdb, StandardOpenOption.READ)) {
            RdbSource source = new RdbSource(channel);
            SnapshotManifest[] published = new SnapshotManifest[1];
            store.publish(key, source, () -> {
                RdbDigest.RdbCheck check = source.finish();
                if (check.problem().isPresent()) {
                    throw new SnapshotException(Reason.VERIFY, rdb + " failed verification, not published: " + check.problem().get());
                }
                published[0] = manifestOf.apply(check);
                return ManifestJson.encode(published[0]);
            });
            return published[0];
        } catch (IOException e) {
            throw new SnapshotException(Reason.READ, "cannot read " + rdb + ": " + e.getMessage(), e);
        }
    }
}
