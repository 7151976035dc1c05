package io.warden.common.snapshot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks an RDB file as it streams past, once, without holding it: SHA-256 over every byte, and Redis's own
 * CRC64 over every byte before the 8-byte trailer, which must match the trailer. The last eight bytes seen
 * are held back until the next ones arrive, because only the end of the stream says which bytes are the
 * trailer.
 * <p>An RDB is good when it starts with the {@code REDIS} magic, its last byte before the trailer is the EOF
 * opcode {@code 0xFF}, and the stored CRC64 equals the computed one (a stored 0 means Redis ran with
 * {@code rdbchecksum no}: accepted, the SHA-256 still guards the copy).
 * <p>Both sums run on the caller's thread, one after the other. SHA-256 on a helper thread over the same buffers was
 * tried (commit 7b6441d): with no idle core (a busy node, or a sidecar limited to one CPU) it gained nothing and cost
 * ~8% more CPU (bench/README.md, "Snapshots"). SHA-256 needs the C2 compiler's intrinsic to be fast: see bin/warden.
 */
public final class RdbDigest {

    private static final byte[] MAGIC = {'R', 'E', 'D', 'I', 'S'};
    private static final int EOF_OPCODE = 0xff;

    private final Crc64 crc = new Crc64();
    private final MessageDigest sha256;
    private final byte[] held = new byte[8];
    private final byte[] head = new byte[MAGIC.length];
    private int heldLength;
    private long size;
    private int lastCrcByte = -1;

    public RdbDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public void update(byte[] bytes, int offset, int length) {
        if (length <= 0) {
            return;
        }
        sha256.update(bytes, offset, length);
        for (int i = 0; size + i < head.length && i < length; i++) {
            head[(int) size + i] = bytes[offset + i];
        }
        size += length;
        if (length >= held.length) {
            // Everything held and all but the last 8 new bytes are before any possible trailer.
            crcUpdate(held, 0, heldLength);
            crcUpdate(bytes, offset, length - held.length);
            System.arraycopy(bytes, offset + length - held.length, held, 0, held.length);
            heldLength = held.length;
            return;
        }
        int overflow = heldLength + length - held.length;
        if (overflow > 0) {
            crcUpdate(held, 0, overflow);
            System.arraycopy(held, overflow, held, 0, heldLength - overflow);
            heldLength -= overflow;
        }
        System.arraycopy(bytes, offset, held, heldLength, length);
        heldLength += length;
    }

    private void crcUpdate(byte[] bytes, int offset, int length) {
        if (length > 0) {
            crc.update(bytes, offset, length);
            lastCrcByte = bytes[offset + length - 1] & 0xff;
        }
    }

    public long size() {
        return size;
    }

    /** The verdict once every byte has been seen. Ends the digest. */
    public RdbCheck finish() {
        String sha = HexFormat.of().formatHex(sha256.digest());
        long computed = crc.value();
        if (size < MAGIC.length + 1 + held.length || !java.util.Arrays.equals(head, MAGIC)) {
            return new RdbCheck(size, sha, Crc64.hex(computed), Optional.of(size == 0 ? "the RDB file is empty"
                    : "not an RDB file: it does not start with the REDIS magic (" + size + " bytes)"));
        }
        long stored = 0;
        for (int i = held.length - 1; i >= 0; i--) {
            stored = stored << 8 | (held[i] & 0xffL);
        }
        if (lastCrcByte != EOF_OPCODE) {
            return new RdbCheck(size, sha, Crc64.hex(computed), Optional.of("the RDB is truncated: it does not end with the EOF opcode and its CRC64 ("
                    + size + " bytes)"));
        }
        if (stored != 0 && stored != computed) {
            return new RdbCheck(size, sha, Crc64.hex(computed), Optional.of("CRC64 mismatch: the RDB's trailer says " + Crc64.hex(stored)
                    + ", its bytes give " + Crc64.hex(computed) + " (corrupted or truncated)"));
        }
        return new RdbCheck(size, sha, Crc64.hex(stored == 0 ? computed : stored), Optional.empty());
    }

    /**
     * @param size    bytes seen
     * @param sha256  hex SHA-256 of all of them
     * @param crc64   hex CRC64 (the trailer's when it verified)
     * @param problem why the RDB is not good, empty when it is
     */
    public record RdbCheck(long size, String sha256, String crc64, Optional<String> problem) {

        public boolean good() {
            return problem.isEmpty();
        }
    }
}
