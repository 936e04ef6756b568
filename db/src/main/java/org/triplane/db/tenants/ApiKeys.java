package org.triplane.db.tenants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Format, generation and hashing of API keys: {@code tp_<prefix>_<secret>}, a 12-character
 * public prefix for lookup and 256 random bits encoded base64url.
 *
 * <p>why plain SHA-256 and no slow password hash: the secret is 256 random bits, not a
 * human-chosen password, so it cannot be guessed from its hash and a fast hash keeps every
 * request's authentication cheap.
 */
public final class ApiKeys {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PREFIX_LENGTH = 12;
    private static final int SECRET_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("tp_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** @return a new random key string */
    public static String generate() {
        StringBuilder prefix = new StringBuilder(PREFIX_LENGTH);
        for (int i = 0; i < PREFIX_LENGTH; i++) {
            prefix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return "tp_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * @param key a key as presented by a client
     * @return its public prefix, or empty when the string is not a well-formed key
     */
    public static Optional<String> prefixOf(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(key);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * @param key a complete key string
     * @return SHA-256 of its UTF-8 bytes (32 bytes)
     */
    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * Compares in time independent of where the hashes differ, so response timing reveals nothing.
     *
     * @param key    presented key
     * @param stored stored hash
     * @return whether {@code key} hashes to {@code stored}
     */
    static boolean matches(String key, byte[] stored) {
        return MessageDigest.isEqual(sha256(key), stored);
    }
}
