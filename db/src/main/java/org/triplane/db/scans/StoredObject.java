package org.triplane.db.scans;

import java.util.regex.Pattern;

/**
 * An object in the object store as a scan references it.
 *
 * @param key       object key within the bucket
 * @param sha256    SHA-256 of the object's bytes, 64 lower-case hex digits
 * @param sizeBytes object size in bytes, positive
 */
public record StoredObject(String key, String sha256, long sizeBytes) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates every field, naming the one that is wrong. */
    public StoredObject {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key: must not be blank");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: expected 64 lower-case hex digits, got " + sha256);
        }
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes: must be positive, got " + sizeBytes);
        }
    }
}
