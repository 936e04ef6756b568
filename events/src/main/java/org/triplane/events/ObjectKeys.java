package org.triplane.events;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * The object-store key layout, deterministic so that a redone step overwrites its own output
 * instead of adding a second one. Keys carry ids only, never names or other patient data.
 */
public final class ObjectKeys {
    /** The atlas method's name among the predictions (beside {@code axial}, {@code coronal}, {@code sagittal}). */
    public static final String ATLAS = "atlas";
    /** How the key of every volume a user can fetch ends: gzipped NIfTI-1. */
    private static final String NIFTI_GZ = ".nii.gz";
    /**
     * How the key of a volume that one worker stores only for another to read ends: the windowed
     * volume and the intracranial masks, in the workers' own format ({@code VolumeObjectFormat} in
     * worker-support), never shown to a user.
     */
    public static final String VOLUME_OBJECT = ".tpvol";

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

    /**
     * The ITK transform the preprocess-worker derived for a scan uploaded without one (the rotation
     * from its atlas registration); the scan record names it like an uploaded transform.
     */
    public static String derivedTransform(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "registration/transform.txt";
    }

    /**
     * The preprocessed (rotated, windowed, one byte per voxel, x fastest, LPS mm) volume of a scan,
     * a {@link #VOLUME_OBJECT}.
     */
    public static String preprocessed(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "preprocessed/windowed-u8" + VOLUME_OBJECT;
    }

    /**
     * The intracranial mask of a scan on its rotated (preprocessed) grid: uint8 0/1, x fastest, LPS
     * mm, the grid of {@link #preprocessed}. Made by the preprocess-worker from the CT and its atlas
     * registration; every label volume stored on that grid is cleared outside it. A {@link #VOLUME_OBJECT}.
     */
    public static String intracranialMaskRotated(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "preprocessed/intracranial-mask" + VOLUME_OBJECT;
    }

    /**
     * The intracranial mask of a scan on the grid of the CT as acquired (uint8 0/1, x fastest, LPS
     * mm), beside its registration; every label volume stored on that grid is cleared outside it. A
     * {@link #VOLUME_OBJECT}.
     */
    public static String intracranialMaskAcquired(UUID tenantId, UUID scanId) {
        return scanFolder(tenantId, scanId) + "registration/intracranial-mask" + VOLUME_OBJECT;
    }

    /**
     * Where a version before {@link #VOLUME_OBJECT}s stored the same volume, as gzip NIfTI-1: the key
     * with {@code .tpvol} replaced by {@code .nii.gz}. A scan preprocessed by that version while a job
     * was in flight has its windowed volume and masks there; readers fall back to it.
     *
     * @throws IllegalArgumentException for a key that does not end {@link #VOLUME_OBJECT}
     */
    public static String legacyNifti(String volumeObjectKey) {
        if (!volumeObjectKey.endsWith(VOLUME_OBJECT)) {
            throw new IllegalArgumentException("volumeObjectKey: a volume object's key ends " + VOLUME_OBJECT + ", got "
                    + volumeObjectKey);
        }
        return volumeObjectKey.substring(0, volumeObjectKey.length() - VOLUME_OBJECT.length()) + NIFTI_GZ;
    }

    /** Folder of one scan's outputs within one job: {@code tenants/<tenant>/jobs/<job>/scans/<scan>/}. */
    public static String jobScanFolder(UUID tenantId, UUID jobId, UUID scanId) {
        return "tenants/" + tenantId + "/jobs/" + jobId + "/scans/" + scanId + "/";
    }

    /** One plane's predicted labels (uint8 0..20 on the preprocessed grid). */
    public static String planeLabels(UUID tenantId, UUID jobId, UUID scanId, Plane plane) {
        return jobScanFolder(tenantId, jobId, scanId) + "planes/" + plane.wireName() + "/labels.nii.gz";
    }

    /** One plane's confidence (uint8, 255 × the largest softmax probability, on the preprocessed grid). */
    public static String planeConfidence(UUID tenantId, UUID jobId, UUID scanId, Plane plane) {
        return jobScanFolder(tenantId, jobId, scanId) + "planes/" + plane.wireName() + "/confidence.nii.gz";
    }

    /**
     * The atlas method's labels (the atlas's labels carried through the scan's registration; uint8
     * 0..20) on the rotated grid, beside the planes' predictions: {@code planes/atlas/labels.nii.gz}.
     */
    public static String atlasLabels(UUID tenantId, UUID jobId, UUID scanId) {
        return jobScanFolder(tenantId, jobId, scanId) + "planes/" + ATLAS + "/labels.nii.gz";
    }

    /** The atlas method's labels on the grid of the CT as acquired: uint8 0..20, x fastest, LPS mm. */
    public static String atlasLabelsAcquired(UUID tenantId, UUID jobId, UUID scanId) {
        return jobScanFolder(tenantId, jobId, scanId) + "planes/" + ATLAS + "/labels-acquired.nii.gz";
    }

    /** The fused labels of one scan on its rotated (preprocessed) grid: uint8 0..20, x fastest, LPS mm. */
    public static String fusedLabelsRotated(UUID tenantId, UUID jobId, UUID scanId) {
        return jobScanFolder(tenantId, jobId, scanId) + "fused/labels-rotated.nii.gz";
    }

    /** The fused labels of one scan mapped onto the grid of the CT as acquired: uint8 0..20, x fastest, LPS mm. */
    public static String fusedLabelsAcquired(UUID tenantId, UUID jobId, UUID scanId) {
        return jobScanFolder(tenantId, jobId, scanId) + "fused/labels-acquired.nii.gz";
    }

    /**
     * A viewer's label table beside a label volume (ITK-SNAP's label descriptions, 3D Slicer's colour
     * table): the volume's key with {@code .nii.gz} replaced by the table's suffix, e.g.
     * {@code fused/labels-acquired.nii.gz} → {@code fused/labels-acquired.ctbl}.
     *
     * @param labelVolumeKey the key of a label volume, ending {@code .nii.gz}
     * @param suffix         the table's file-name ending, starting with a dot ({@code .ctbl})
     * @throws IllegalArgumentException for a key without {@code .nii.gz} or a suffix without its dot
     */
    public static String labelTable(String labelVolumeKey, String suffix) {
        if (!labelVolumeKey.endsWith(NIFTI_GZ)) {
            throw new IllegalArgumentException("labelVolumeKey: a label volume's key ends " + NIFTI_GZ + ", got "
                    + labelVolumeKey);
        }
        if (suffix.length() < 2 || suffix.charAt(0) != '.' || suffix.indexOf('/') >= 0) {
            throw new IllegalArgumentException("suffix: a file-name ending such as .ctbl, got '" + suffix + "'");
        }
        return labelVolumeKey.substring(0, labelVolumeKey.length() - NIFTI_GZ.length()) + suffix;
    }

    /**
     * One overlay image of a finished job's report (PNG: fused labels over the CT), rendered by the
     * gateway on first request and kept: {@code report/<plane>-<index>.png}.
     */
    public static String reportOverlay(UUID tenantId, UUID jobId, UUID scanId, Plane plane, int index) {
        return jobScanFolder(tenantId, jobId, scanId) + "report/" + plane.wireName() + "-" + index + ".png";
    }

    /**
     * What a report's overlay images show (JSON: per plane the slice index, fraction and image size of
     * each), stored after the images, so that its presence means all of them are there.
     */
    public static String reportOverlayIndex(UUID tenantId, UUID jobId, UUID scanId) {
        return jobScanFolder(tenantId, jobId, scanId) + "report/overlays.json";
    }

    /** Weights of a registered model: {@code models/<model set>/<plane>/weights.params}. */
    public static String modelWeights(UUID modelSetId, Plane plane) {
        return "models/" + modelSetId + "/" + plane.wireName() + "/weights.params";
    }

    /** Folder of a TRAIN task's checkpoints: {@code tenants/<tenant>/jobs/<job>/training/<plane>/checkpoint/}. */
    public static String trainingCheckpoints(UUID tenantId, UUID jobId, Plane plane) {
        return "tenants/" + tenantId + "/jobs/" + jobId + "/training/" + plane.wireName() + "/checkpoint/";
    }

    /**
     * Folder of a k-fold TRAIN task's checkpoints:
     * {@code tenants/<tenant>/jobs/<job>/training/fold-<fold>/<plane>/checkpoint/}; each fold resumes
     * only from its own epochs. Without a fold, {@link #trainingCheckpoints(UUID, UUID, Plane)}.
     *
     * @param fold the fold, 1..k, or {@code null} for a task without folds
     */
    public static String trainingCheckpoints(UUID tenantId, UUID jobId, Plane plane, Integer fold) {
        if (fold == null) {
            return trainingCheckpoints(tenantId, jobId, plane);
        }
        if (fold < 1) {
            throw new IllegalArgumentException("fold: folds are numbered from 1, got " + fold);
        }
        return "tenants/" + tenantId + "/jobs/" + jobId + "/training/fold-" + fold + "/" + plane.wireName() + "/checkpoint/";
    }

    /**
     * An object key as it arrives in an S3/MinIO bucket notification
     * ({@code Records[].s3.object.key}), which is URL-encoded with {@code +} for a space.
     */
    public static String decodeNotificationKey(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }
}
