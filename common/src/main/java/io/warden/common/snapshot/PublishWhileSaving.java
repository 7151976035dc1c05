package io.warden.common.snapshot;

import io.warden.common.snapshot.SnapshotException.Reason;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.function.Function;

/**
 * Publishes an RDB while Redis is still writing it, so the copy overlaps the save instead of following it. Redis's
 * BGSAVE child writes {@code temp-<pid>.rdb} front to back, then renames it to {@code dump.rdb}: the same inode.
 * <ol>
 *   <li>Open the temp file, noting its inode (the name's, just before and just after opening: they must agree);</li>
 *   <li>stream it to the store as {@link SnapshotPublisher} does, waiting at its end while the save runs
 *       ({@link GrowingFile}); the writer's word that it finished makes the end final;</li>
 *   <li>before anything becomes visible, require that the finished RDB ({@code dump.rdb}) is the inode that was read
 *       and has exactly the bytes read, and that they verify; else publish nothing and answer
 *       {@link NotTheFinishedFile}: the caller publishes the finished file the usual way.</li>
 * </ol>
 * A failed save ends it with the writer's own exception; a failing target with the store's.
 */
public final class PublishWhileSaving {

    /** How often Redis is asked whether the save finished while the copy has caught up with it. */
    static final Duration POLL = Duration.ofMillis(20);

    /** What became of the attempt. */
    public sealed interface Outcome permits Published, NotTheFinishedFile {
    }

    public record Published(SnapshotManifest manifest) implements Outcome {
    }

    /** Nothing was published: the bytes read could not be shown to be the finished RDB, for {@code reason}. */
    public record NotTheFinishedFile(String reason) implements Outcome {
    }

    private PublishWhileSaving() {
    }

    /**
     * @param growing    the file being written, e.g. {@code temp-1234.rdb}
     * @param writer     says when it was closed for good, throws when the save failed
     * @param finished   where it ends up, e.g. {@code dump.rdb}
     * @param sizeHint   its likely size (the previous dump's), for the store to size parts by
     * @param manifestOf the manifest for the checked bytes; called once the writer finished
     */
    public static Outcome publish(SnapshotStore store, SnapshotKey key, Path growing, GrowingFile.Writer writer, Path finished,
                                  long sizeHint, Function<RdbDigest.RdbCheck, SnapshotManifest> manifestOf) throws SnapshotException {
        Object inode;
        FileChannel channel;
        try {
            inode = fileKey(growing);
            channel = FileChannel.open(growing, StandardOpenOption.READ);
            if (inode == null || !inode.equals(fileKey(growing))) {
                channel.close();
                return new NotTheFinishedFile(growing + " changed while being opened, or its inode cannot be told");
            }
        } catch (IOException e) {
            return new NotTheFinishedFile("cannot open " + growing + " (the save may have finished already): " + e);
        }
        try (channel) {
            GrowingFile file = GrowingFile.growing(channel, writer, POLL);
            RdbSource source = new RdbSource(file, sizeHint);
            String[] notFinished = new String[1];
            SnapshotManifest[] published = new SnapshotManifest[1];
            try {
                store.publish(key, source, () -> {
                    RdbDigest.RdbCheck check = null;
                    notFinished[0] = sameFile(inode, file, finished);
                    if (notFinished[0] == null) {
                        try {
                            check = source.finish();
                            notFinished[0] = check.problem().map(p -> growing + " failed verification: " + p).orElse(null);
                        } catch (SnapshotException e) {
                            notFinished[0] = e.getMessage();
                        }
                    }
                    if (notFinished[0] != null) {
                        throw new SnapshotException(Reason.READ, notFinished[0]);
                    }
                    published[0] = manifestOf.apply(check);
                    return ManifestJson.encode(published[0]);
                });
                return new Published(published[0]);
            } catch (SnapshotException e) {
                if (file.failure().isPresent()) {
                    throw file.failure().get();
                }
                if (notFinished[0] != null) {
                    return new NotTheFinishedFile(notFinished[0]);
                }
                if (source.readFailure().isPresent() && !(source.readFailure().get() instanceof InterruptedIOException)) {
                    return new NotTheFinishedFile("cannot read " + growing + ": " + source.readFailure().get().getMessage());
                }
                throw e;
            }
        } catch (IOException e) {
            throw new SnapshotException(Reason.READ, "cannot read " + growing + ": " + e.getMessage(), e);
        }
    }

    /** Null when {@code finished} is the inode read and has the bytes read; else what differs. */
    private static String sameFile(Object inode, GrowingFile read, Path finished) {
        try {
            long bytesRead = read.size();
            BasicFileAttributes attributes = Files.readAttributes(finished, BasicFileAttributes.class);
            if (!inode.equals(attributes.fileKey())) {
                return finished + " is another file than the one read (" + attributes.fileKey() + ", not " + inode + ")";
            }
            if (attributes.size() != bytesRead) {
                return finished + " has " + attributes.size() + " bytes, " + bytesRead + " were read";
            }
            return null;
        } catch (IOException e) {
            return "cannot look at " + finished + ": " + e;
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
