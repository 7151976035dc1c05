package io.warden.common.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The RDB being published: an open file (a later BGSAVE renaming a new dump over it does not disturb an open
 * descriptor) of a size fixed when it was opened, read in regions (S3 parts, or the whole file). Every byte
 * passes the {@link RdbDigest} exactly once, in order, the first time it is read: a region read again (an
 * HTTP retry, or a signer hashing the payload before sending it) is not counted twice.
 */
public final class RdbSource {

    /**
     * Large enough that system calls cost little, small enough to stay out of the way of a 32 MiB heap and to be still
     * in the CPU's cache when it is checksummed and written after being read (1 MiB chunks tripled the kernel time).
     */
    static final int CHUNK = 256 * 1024;

    private final FileChannel channel;
    private final long size;
    private final RdbDigest digest = new RdbDigest();
    private long digested;

    public RdbSource(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    public long size() {
        return size;
    }

    /** Once every byte was read: the verdict on them. */
    public RdbDigest.RdbCheck finish() throws SnapshotException {
        if (digested != size) {
            throw new SnapshotException(SnapshotException.Reason.READ, "read " + digested + " of the RDB's " + size + " bytes");
        }
        return digest.finish();
    }

    /** A stream of bytes {@code [start, start + length)}, read from the file at those positions. */
    public InputStream region(long start, long length) {
        if (start > digested) {
            throw new IllegalStateException("region at " + start + " would skip bytes from " + digested + ": regions go in order");
        }
        return new RegionStream(start, start + length);
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
        private long position;

        RegionStream(long start, long end) {
            this.position = start;
            this.end = end;
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
            int n = channel.read(ByteBuffer.wrap(into, offset, wanted), position);
            if (n < 0) {
                throw new IOException("the RDB ended at " + position + " bytes, " + size + " expected (truncated while being read)");
            }
            digest(position, into, offset, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}
