package io.warden.common.snapshot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Small RDB files built by hand: the magic, some opaque body, the EOF opcode and a CRC64 trailer. */
final class Rdbs {

    private Rdbs() {
    }

    static byte[] valid(int bodyBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0011".getBytes(StandardCharsets.US_ASCII));
        byte[] body = new byte[bodyBytes];
        new Random(bodyBytes).nextBytes(body);
        out.writeBytes(body);
        out.write(0xff);
        long crc = Crc64.of(out.toByteArray());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return out.toByteArray();
    }

    static byte[] flipped(byte[] rdb, int index) {
        byte[] copy = rdb.clone();
        copy[index] ^= 0x01;
        return copy;
    }
}
