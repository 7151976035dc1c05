package io.warden.common.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * The RDB being published: an open file (a later BGSAVE renaming a new dump over it does not disturb an open
 * descriptor), finished or still being written by Redis ({@link GrowingFile}), read in regions (S3 parts, or the
 * whole file). Every byte passes the {@link RdbDigest} exactly once, in order, the first time it is read: a region
 * read again (an HTTP retry, or a signer hashing the payload before sending it) is not counted twice.
 */
public final class RdbSource {

    /**
     * Large enough that system calls cost little, small enough to stay out of the way of a 32 MiB heap and to be still
     * in the CPU's cache when it is checksummed and written after being read (1 MiB chunks tripled the kernel time).
     */
    static final int CHUNK = 256 * 1024;

    private final GrowingFile file;
    private final long sizeHint;
    private final RdbDigest digest = new RdbDigest();
    private long digested;
    private IOException readFailure;

    /** A finished RDB. */
    public RdbSource(FileChannel channel) throws IOException {
        this(GrowingFile.complete(channel), channel.size());
    }

    /**
     * @param sizeHint what the RDB's size will likely be (S3 sizes its parts by it); its exact size once finished
     */
    public RdbSource(GrowingFile file, long sizeHint) {
        this.file = file;
        this.sizeHint = sizeHint;
    }

    public long sizeHint() {
        return sizeHint;
    }

    /**
     * How many of the {@code wanted} bytes from {@code start} on the RDB has: waits while Redis still writes it. Fewer
     * than {@code wanted} only at its end, 0 past it.
     */
    public long length(long start, long wanted) throws IOException {
        return file.await(start, wanted);
    }

    /** Once every byte was read: the verdict on them. */
    public RdbDigest.RdbCheck finish() throws SnapshotException {
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            throw new SnapshotException(SnapshotException.Reason.READ, "cannot read the RDB's size: " + e.getMessage(), e);
        }
        if (!file.finished()) {
            throw new SnapshotException(SnapshotException.Reason.READ, "the RDB is still being written (" + digested + " bytes read)");
        }
        if (digested != size) {
            throw new SnapshotException(SnapshotException.Reason.READ, "read " + digested + " of the RDB's " + size + " bytes");
        }
        return digest.finish();
    }

    /** A stream of bytes {@code [start, start + length)}, read from the file at those positions; they must all exist. */
    public InputStream region(long start, long length) {
        if (start > digested) {
            throw new IllegalStateException("region at " + start + " would skip bytes from " + digested + ": regions go in order");
        }
        return new RegionStream(start, start + length, true);
    }

    /** A stream of every byte, to the RDB's end (waiting for Redis to write them while it still does). */
    public InputStream whole() {
        return new RegionStream(0, Long.MAX_VALUE, false);
    }

    /** Why reading the RDB failed (not writing it to the target), when it did. */
    public synchronized Optional<IOException> readFailure() {
        return Optional.ofNullable(readFailure);
    }

    private synchronized void readFailed(IOException e) {
        readFailure = e;
    }

    private synchronized void digest(long position, byte[] bytes, int offset, int length) {
        long end = position + length;
        if (end <= digested) {
            return;
        }
        int skip = (int) (digested - position);
        digest.update(bytes, offset + skip, length - skip);
        digested = end;
    }

    private final class RegionStream extends InputStream {

        private final long end;
        private final boolean exact;
        private long position;

        RegionStream(long start, long end, boolean exact) {
            this.position = start;
            this.end = end;
            this.exact = exact;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (position >= end) {
                return -1;
            }
            int wanted = (int) Math.min(length, end - position);
            int n;
            try {
                // Whole chunks, not whatever Redis has flushed so far: at the writer's heels a read would get a few
                // KiB, and every small read costs a system call, a digest update and a write to the target.
                file.await(position, wanted);
                n = file.read(ByteBuffer.wrap(into, offset, wanted), position);
            } catch (IOException e) {
                readFailed(e);
                throw e;
            }
            if (n < 0 && !exact) {
                return -1;
            }
            if (n < 0) {
                throw new IOException("the RDB ended at " + position + " bytes, " + end + " expected (truncated while being read)");
            }
            digest(position, into, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.min(end, file.size()) - position));
        }
    }
}
