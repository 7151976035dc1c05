package io.warden.common.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc64Test {

    @Test
    void checkValueOfTheJonesPolynomialAsRedisUsesIt() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("e9c6d914c4b8d9ca", Crc64.hex(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void sliceByEightAgreesWithByteAtATimeWhateverTheSplit() {
        byte[] data = new byte[10_007];
        new Random(7).nextBytes(data);
        long whole = Crc64.of(data);
        for (int split : new int[] {0, 1, 3, 8, 9, 4999, 10_006}) {
            Crc64 crc = new Crc64();
            crc.update(data, 0, split);
            crc.update(data, split, data.length - split);
            assertEquals(whole, crc.value(), "split at " + split);
        }
        Crc64 bytewise = new Crc64();
        for (int i = 0; i < data.length; i++) {
            bytewise.update(data, i, 1);
        }
        assertEquals(whole, bytewise.value());
    }
}
