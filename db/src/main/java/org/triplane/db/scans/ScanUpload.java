package org.triplane.db.scans;

import java.util.regex.Pattern;

/**
 * What a scan's stored NIfTI objects were made from: the checksums of the parts as the client
 * uploaded them (what a client knows of its own files, while {@link StoredObject#sha256()} is that
 * of the stored bytes, which workers verify) and whether the objects are their de-identified copies.
 *
 * @param ctSha256     SHA-256 of the CT part as uploaded, 64 lower-case hex digits; {@code null} for
 *                     scans recorded before it was
 * @param labelsSha256 SHA-256 of the labels part as uploaded; {@code null} without labels (or for
 *                     scans recorded before it was)
 * @param deidentified true when the stored CT and labels are de-identified copies of the parts
 *                     (free-text header fields zeroed, extensions dropped, voxels unchanged); false
 *                     when they are the parts as uploaded (gzip-compressed if sent uncompressed)
 */
public record ScanUpload(String ctSha256, String labelsSha256, boolean deidentified) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates the checksums, naming the one that is wrong. */
    public ScanUpload {
        check("ctSha256", ctSha256);
        check("labelsSha256", labelsSha256);
    }

    private static void check(String field, String sha256) {
        if (sha256 != null && !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException(field + ": expected 64 lower-case hex digits, got " + sha256);
        }
    }
}
