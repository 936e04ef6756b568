package org.triplane.gateway.service;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a stream's bytes, read to its end in memory that does not grow with it.
 *
 * @param hex   64 lower-case hex digits
 * @param bytes how many bytes were read
 */
record Sha256(String hex, long bytes) {

    private static final int BUFFER = 1 << 16;

    /** @param in the bytes, read to the end and closed */
    static Sha256 of(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        long total = 0;
        try (in) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        return new Sha256(HexFormat.of().formatHex(digest.digest()), total);
    }
}
