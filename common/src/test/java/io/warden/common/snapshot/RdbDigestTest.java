package io.warden.common.snapshot;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

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
