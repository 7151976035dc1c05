package io.warden.common.snapshot;

/**
 * The CRC64 that Redis writes at the end of every RDB file (Jones polynomial 0xad93d23594c935a9, reflected,
 * initial value 0, no final xor; the check value of "123456789" is 0xe9c6d914c4b8d9ca), as redis-check-rdb
 * verifies it. Computed eight bytes at a time ("slicing by 8"): a byte-at-a-time table would make the checksum,
 * not the disk, the slowest part of streaming a multi-gigabyte snapshot.
 */
public final class Crc64 {

    /** The polynomial in reflected (LSB-first) form. */
    private static final long POLY = 0x95ac9329ac4bc9b5L;
    private static final long[][] TABLES = tables();

    private long crc;

    public long value() {
        return crc;
    }

    public void update(byte[] bytes, int offset, int length) {
        long c = crc;
        int i = offset;
        int end = offset + length;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        while (end - i >= 8) {
            c ^= (bytes[i] & 0xffL) | (bytes[i + 1] & 0xffL) << 8 | (bytes[i + 2] & 0xffL) << 16 | (bytes[i + 3] & 0xffL) << 24
                    | (bytes[i + 4] & 0xffL) << 32 | (bytes[i + 5] & 0xffL) << 40 | (bytes[i + 6] & 0xffL) << 48
                    | (bytes[i + 7] & 0xffL) << 56;
            c = t7[(int) c & 0xff] ^ t6[(int) (c >>> 8) & 0xff] ^ t5[(int) (c >>> 16) & 0xff] ^ t4[(int) (c >>> 24) & 0xff]
                    ^ t3[(int) (c >>> 32) & 0xff] ^ t2[(int) (c >>> 40) & 0xff] ^ t1[(int) (c >>> 48) & 0xff] ^ t0[(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = t0[(int) (c ^ bytes[i++]) & 0xff] ^ (c >>> 8);
        }
        crc = c;
    }

    /** The CRC64 of {@code bytes}. */
    public static long of(byte[] bytes) {
        Crc64 crc = new Crc64();
        crc.update(bytes, 0, bytes.length);
        return crc.value();
    }

    /** As Redis prints and a manifest stores it: 16 lower-case hex digits. */
    public static String hex(long value) {
        return String.format("%016x", value);
    }

    private static long[][] tables() {
        long[][] t = new long[8][256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[0][n] = c;
        }
        for (int n = 0; n < 256; n++) {
            for (int k = 1; k < 8; k++) {
                t[k][n] = t[0][(int) t[k - 1][n] & 0xff] ^ (t[k - 1][n] >>> 8);
            }
        }
        return t;
    }
}
