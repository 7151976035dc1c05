package io.warden.common.snapshot;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * An open file that another process may still be appending to (Redis's BGSAVE child writing {@code temp-<pid>.rdb}),
 * read as it grows, so copying it overlaps with writing it.
 * <ol>
 *   <li>A read below the file's current size answers at once, as from any file;</li>
 *   <li>at the current end, while the writer is not finished, it waits in short sleeps for more bytes, asking the
 *       writer whether it finished at most once per {@code poll};</li>
 *   <li>once the writer said it finished, the end is final: a read there answers -1;</li>
 *   <li>a writer that failed (the file will never be complete) ends every wait with an IOException; its
 *       {@link SnapshotException} is kept for the caller to report ({@link #failure()}).</li>
 * </ol>
 * The open descriptor keeps reading the same inode whatever happens to its name (a rename, an unlink).
 */
public final class GrowingFile {

    /** Someone who knows whether the file is complete. */
    @FunctionalInterface
    public interface Writer {
        /** True once the writer closed the file for good; throws when it failed or gave up (the file stays incomplete). */
        boolean finished() throws SnapshotException, InterruptedException;
    }

    /** Between two looks at the file's size while waiting at its end: a few hundred KiB of Redis's writing. */
    private static final long WAIT_MILLIS = 2;

    private final FileChannel channel;
    private final Writer writer;
    private final long pollNanos;
    private boolean finished;
    private long lastAsked = Long.MIN_VALUE;
    private SnapshotException failure;

    private GrowingFile(FileChannel channel, Writer writer, Duration poll, boolean finished) {
        this.channel = channel;
        this.writer = writer;
        this.pollNanos = poll.toNanos();
        this.finished = finished;
    }

    /** A file nobody writes any more: its end is final now. */
    public static GrowingFile complete(FileChannel channel) {
        return new GrowingFile(channel, () -> true, Duration.ZERO, true);
    }

    /** A file {@code writer} may still append to; asked at most once per {@code poll} while a reader waits at the end. */
    public static GrowingFile growing(FileChannel channel, Writer writer, Duration poll) {
        return new GrowingFile(channel, writer, poll, false);
    }

    /** Like {@link FileChannel#read(ByteBuffer, long)}, but waits at the end until more bytes come or the end is final. */
    public int read(ByteBuffer into, long position) throws IOException {
        while (true) {
            int n = channel.read(into, position);
            if (n != -1 || !awaitBeyond(position)) {
                return n;
            }
        }
    }

    /**
     * How many of the {@code wanted} bytes from {@code position} on there are: waits until all of them exist or the end
     * is final. Answers fewer than {@code wanted} only at the final end (0 there).
     */
    public long await(long position, long wanted) throws IOException {
        while (channel.size() < position + wanted && awaitBeyond(channel.size())) {
            // more came; look again
        }
        return Math.max(0, Math.min(wanted, channel.size() - position));
    }

    /** The bytes there are now; final once {@link #finished()}. */
    public long size() throws IOException {
        return channel.size();
    }

    public synchronized boolean finished() {
        return finished;
    }

    /** Why the writer failed, when it did. */
    public synchronized Optional<SnapshotException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Waits until the file holds more than {@code position} bytes (true) or it turned out final at or before it (false).
     * Synchronized: only one reader asks the writer at a time.
     */
    private synchronized boolean awaitBeyond(long position) throws IOException {
        while (channel.size() <= position) {
            if (finished) {
                // Finished was answered after the writer's last byte was written: the size read after it is final.
                return channel.size() > position;
            }
            askWriter();
            if (!finished) {
                sleep();
            }
        }
        return true;
    }

    private void askWriter() throws IOException {
        if (failure != null) {
            throw new IOException("the writer of the file failed: " + failure.getMessage(), failure);
        }
        long now = System.nanoTime();
        if (lastAsked != Long.MIN_VALUE && now - lastAsked < pollNanos) {
            return;
        }
        lastAsked = now;
        try {
            finished = writer.finished();
        } catch (SnapshotException e) {
            failure = e;
            throw new IOException("the writer of the file failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file to grow");
        }
    }

    private static void sleep() throws InterruptedIOException {
        try {
            Thread.sleep(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file to grow");
        }
    }
}
