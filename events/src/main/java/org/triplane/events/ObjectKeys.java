package org.triplane.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The object-store key layout, deterministic so that a redone step overwrites its own output
 * instead of adding a second one. Keys carry ids only, never names or other patient data.
 */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    /** Folder of one scan's objects: {@code tenants/<tenant>/scans/<scan>/}. */
    public static String scanFolder(UUID tenantId, UUID scanId) {
        return "tenants/" + tenantId + "/scans/" + scanId + "/";
    }

    public static String ct(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "ct.nii.gz";
    }

    public static String transform(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "transform.txt";
    }

    public static String labels(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "labels.nii.gz";
    }

    /** The preprocessed (rotated, windowed, one byte per voxel) volume of a scan. */
    public static String preprocessed(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "preprocessed/windowed-u8.nii.gz";
    }

    /**
     * An object key as it arrives in an S3/MinIO bucket notification
     * ({@code Records[].s3.object.key}), which is URL-encoded with {@code +} for a space.
     */
    public static String decodeNotificationKey(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }
}
