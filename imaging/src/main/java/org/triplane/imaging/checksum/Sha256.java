package org.triplane.imaging.checksum;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 every part of the system records and compares (the scans table, uploads, volume
 * objects, model weights, the command line's submission keys): 64 lower-case hex digits. Files and
 * streams are read in 64 KiB pieces, so memory does not grow with their size.
 *
 * @param hex   64 lower-case hex digits
 * @param bytes how many bytes were digested
 */
public record Sha256(String hex, long bytes) {
    private static final int BUFFER = 1 << 16;

    /** @return the file's SHA-256 as hex; an I/O failure names the file */
    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in).hex();
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the SHA-256 of {@code bytes} as hex */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** @param in read to its end and closed; @return its SHA-256 and length */
    public static Sha256 of(InputStream in) throws IOException {
        MessageDigest digest = digest();
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

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
