package io.warden.common.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Crc64Test {

    @Test
    void checkValueOfTheJonesPolynomialAsRedisUsesIt() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("e9c6d914c4b8d9ca", Crc64.hex(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void sliceBySixteenAgreesWithTheBitwiseDefinitionAndTheFormerSliceByEight() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(4096)];
            random.nextBytes(data);
            long expected = bitwise(data, 0, data.length);
            assertEquals(expected, SliceByEight.of(data), "former implementation, " + data.length + " bytes");
            assertEquals(expected, Crc64.of(data), data.length + " bytes");
        }
    }

    @Test
    void anySplitGivesTheSameValue() {
        Random random = new Random(11);
        byte[] data = new byte[100_003];
        random.nextBytes(data);
        long whole = SliceByEight.of(data);
        for (int round = 0; round < 300; round++) {
            // pieces of random lengths, often shorter than one 16-byte step, starting at unaligned offsets
            Crc64 crc = new Crc64();
            int bound = round % 2 == 0 ? 40 : 20_000;
            for (int at = 0; at < data.length; ) {
                int length = Math.min(data.length - at, random.nextInt(bound));
                crc.update(data, at, length);
                at += length;
            }
            assertEquals(whole, crc.value(), "round " + round);
        }
        for (int split = 0; split <= 33; split++) {
            Crc64 crc = new Crc64();
            crc.update(data, 0, split);
            crc.update(data, split, data.length - split);
            assertEquals(whole, crc.value(), "split at " + split);
        }
    }

    @Test
    void readsOnlyTheGivenRange() {
        byte[] data = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);
        Crc64 crc = new Crc64();
        crc.update(data, 2, 9);
        assertEquals(0xe9c6d914c4b8d9caL, crc.value());
        assertThrows(IndexOutOfBoundsException.class, () -> new Crc64().update(data, 10, 9));
    }

    /** The definition, one bit at a time: slow and obviously right. */
    private static long bitwise(byte[] bytes, int offset, int length) {
        long crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc ^= bytes[i] & 0xffL;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
        }
        return crc;
    }

    /** The slicing-by-8 implementation Crc64 had before slicing by 16 (commit a317dfc), kept as a second reference. */
    private static final class SliceByEight {

        private static final long[][] TABLES = tables();

        static long of(byte[] bytes) {
            long c = 0;
            int i = 0;
            int end = bytes.length;
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
            return c;
        }

        private static long[][] tables() {
            long[][] t = new long[8][256];
            for (int n = 0; n < 256; n++) {
                long c = n;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ 0x95ac9329ac4bc9b5L : c >>> 1;
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
}
