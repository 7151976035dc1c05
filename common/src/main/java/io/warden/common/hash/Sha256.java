package io.warden.common.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a short text, in lowercase hex: ids and digests that must come out the same in every process. */
public final class Sha256 {

    private Sha256() {
    }

    /** The first {@code bytes} bytes of the SHA-256 of {@code text} (UTF-8), as 2 × {@code bytes} hex digits. */
    public static String hex(String text, int bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The whole SHA-256 of {@code text} (UTF-8), 64 hex digits. */
    public static String hex(String text) {
        return hex(text, 32);
    }
}
