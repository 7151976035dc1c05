package io.warden.common.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 computed on a helper thread, so that the caller's thread is free for everything else a snapshot
 * stream does (read, CRC64, write). SHA-256 is the slowest of those, and it cannot be split: its running time
 * is the floor of a snapshot's, and this keeps it the only thing on that floor.
 * <ol>
 *   <li>{@link #update} copies the bytes into a {@value #BUFFER_BYTES}-byte buffer (the caller may reuse its own
 *       at once); a full buffer is handed to the helper, chained after the previous one, so bytes are hashed in
 *       the order they came;</li>
 *   <li>there are {@value #BUFFERS} buffers: when all are waiting to be hashed, {@link #update} waits for the
 *       oldest, so memory stays bounded however large the stream;</li>
 *   <li>{@link #digest} hands over the last partial buffer and waits for all of them.</li>
 * </ol>
 * Not thread-safe: one stream, one caller (the helper only ever touches the buffers handed to it).
 */
final class BackgroundSha256 {

    static final int BUFFER_BYTES = 256 * 1024;
    private static final int BUFFERS = 4;
    /** One helper thread for every stream in the process, started on demand, ended after 30 s without work. */
    private static final ExecutorService HELPER = helper();

    private final MessageDigest sha256;
    private final byte[][] buffers = new byte[BUFFERS][];
    /** The hashing of each buffer's last contents; null until the buffer was first handed over. */
    private final CompletableFuture<?>[] hashed = new CompletableFuture<?>[BUFFERS];
    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);
    private int current;
    private int filled;

    BackgroundSha256() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    void update(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (filled == 0) {
                if (hashed[current] != null) {
                    hashed[current].join();
                }
                if (buffers[current] == null) {
                    buffers[current] = new byte[BUFFER_BYTES];
                }
            }
            int n = Math.min(length, BUFFER_BYTES - filled);
            System.arraycopy(bytes, offset, buffers[current], filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == BUFFER_BYTES) {
                handOver();
            }
        }
    }

    /** The SHA-256 of every byte given. Ends the digest. */
    byte[] digest() {
        if (filled > 0) {
            handOver();
        }
        last.join();
        return sha256.digest();
    }

    private void handOver() {
        byte[] buffer = buffers[current];
        int length = filled;
        last = last.thenRunAsync(() -> sha256.update(buffer, 0, length), HELPER);
        hashed[current] = last;
        current = (current + 1) % BUFFERS;
        filled = 0;
    }

    private static ExecutorService helper() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "warden-sha256");
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
