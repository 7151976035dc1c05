package io.warden.common.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for Redis's BGSAVE child: a thread that writes bytes to a temp file a slice at a time, pausing between
 * slices, then renames it to its final name (or deletes it, failing) and only then says so, as Redis's parent process
 * reports a save once the child exited. Its {@link #finished()} is the {@link GrowingFile.Writer}.
 */
final class AppendingWriter implements GrowingFile.Writer, AutoCloseable {

    enum Ending { RENAME, FAIL }

    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean done;
    private volatile boolean failed;
    private volatile int finishedAsked;

    AppendingWriter(byte[] content, Path temp, Path finalName, int slice, Ending ending) {
        thread = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                for (int at = 0; at < content.length; at += slice) {
                    out.write(Arrays.copyOfRange(content, at, Math.min(content.length, at + slice)));
                    out.flush();
                    started.countDown();
                    if (ending == Ending.FAIL && at >= content.length / 2) {
                        break;
                    }
                    Thread.sleep(1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (ending == Ending.RENAME) {
                    Files.move(temp, finalName, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.delete(temp);
                    failed = true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            done = true;
        }, "appending-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the temp file exists with its first slice in it. */
    AppendingWriter awaitStarted() throws InterruptedException {
        started.await();
        return this;
    }

    @Override
    public boolean finished() throws SnapshotException {
        finishedAsked++;
        if (failed) {
            throw new SnapshotException(SnapshotException.Reason.BGSAVE, "BGSAVE failed: rdb_last_bgsave_status:err");
        }
        return done;
    }

    /** How often a reader asked whether it finished. */
    int asked() {
        return finishedAsked;
    }

    void join() throws InterruptedException {
        thread.join(10_000);
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        join();
    }
}
