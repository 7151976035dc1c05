package io.warden.common.snapshot;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RdbDigestTest {

    private static RdbDigest.RdbCheck check(byte[] bytes, int... splits) {
        RdbDigest digest = new RdbDigest();
        int from = 0;
        for (int split : splits) {
            digest.update(bytes, from, split - from);
            from = split;
        }
        digest.update(bytes, from, bytes.length - from);
        return digest.finish();
    }

    @Test
    void aWellFormedRdbIsGoodHoweverItArrivesInPieces() {
        byte[] rdb = Rdbs.valid(1000);
        RdbDigest.RdbCheck whole = check(rdb);
        assertTrue(whole.good(), whole.problem().toString());
        assertEquals(rdb.length, whole.size());
        for (int[] splits : new int[][] {{1}, {3, 4, 5}, {rdb.length - 9}, {rdb.length - 8}, {rdb.length - 3, rdb.length - 1}}) {
            RdbDigest.RdbCheck split = check(rdb, splits);
            assertTrue(split.good(), Arrays.toString(splits) + ": " + split.problem());
            assertEquals(whole.sha256(), split.sha256());
            assertEquals(whole.crc64(), split.crc64());
        }
    }

    @Test
    void aMultiMegabyteStreamInPiecesOfAnySizeGivesTheSumsOfTheWholeFile() throws Exception {
        int buffer = RdbSource.CHUNK;
        byte[] rdb = Rdbs.valid(4 * buffer + 12_345);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rdb));
        String crc64 = Crc64.hex(Crc64.of(Arrays.copyOf(rdb, rdb.length - 8)));
        for (int[] splits : new int[][] {{}, {buffer}, {buffer - 1, 2 * buffer + 1}, {5, 7, buffer + 5, 3 * buffer + 5, rdb.length - 8}}) {
            RdbDigest.RdbCheck check = check(rdb, splits);
            assertTrue(check.good(), Arrays.toString(splits) + ": " + check.problem());
            assertEquals(sha256, check.sha256(), Arrays.toString(splits));
            assertEquals(crc64, check.crc64(), Arrays.toString(splits));
        }
        Random random = new Random(3);
        RdbDigest pieces = new RdbDigest();
        for (int at = 0; at < rdb.length; ) {
            int length = Math.min(rdb.length - at, random.nextInt(300_000));
            pieces.update(rdb, at, length);
            at += length;
        }
        assertEquals(sha256, pieces.finish().sha256(), "random pieces");
        RdbDigest.RdbCheck flipped = check(Rdbs.flipped(rdb, 2 * buffer + 7), buffer, 3 * buffer);
        assertTrue(flipped.problem().get().contains("CRC64 mismatch"), flipped.problem().get());
    }

    @Test
    void oneFlippedByteFailsTheCrc() {
        byte[] rdb = Rdbs.valid(1000);
        RdbDigest.RdbCheck check = check(Rdbs.flipped(rdb, 500));
        assertFalse(check.good());
        assertTrue(check.problem().get().contains("CRC64 mismatch"), check.problem().get());
    }

    @Test
    void aTruncatedRdbSaysSo() {
        byte[] rdb = Rdbs.valid(1000);
        RdbDigest.RdbCheck check = check(Arrays.copyOf(rdb, 700));
        assertTrue(check.problem().get().contains("truncated"), check.problem().get());
    }

    @Test
    void emptyOrForeignFilesAreRefused() {
        assertEquals("the RDB file is empty", check(new byte[0]).problem().get());
        assertTrue(check("hello, this is not an RDB at all".getBytes()).problem().get().contains("REDIS magic"));
    }

    @Test
    void aZeroTrailerMeansChecksumsWereOffAndIsAccepted() {
        byte[] rdb = Rdbs.valid(100);
        Arrays.fill(rdb, rdb.length - 8, rdb.length, (byte) 0);
        assertTrue(check(rdb).good());
    }
}
