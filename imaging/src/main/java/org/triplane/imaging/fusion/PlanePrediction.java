package org.triplane.imaging.fusion;

import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * One plane network's prediction for a whole scan, on the scan's ROTATED grid (the preprocessed
 * grid the labels were drawn on): two uint8 volumes, x fastest, LPS mm, sharing one grid.
 *
 * @param plane      the slicing plane whose network produced it
 * @param labels     predicted label per voxel, 0 (background) or an ASPECTS label 1..20
 * @param confidence {@code round(255 × max softmax probability)} per voxel, 0..255
 */
public record PlanePrediction(Plane plane, Volume labels, Volume confidence) {
    /** Largest difference (mm, direction cosine) tolerated between grids that should be one. */
    static final double GRID_TOLERANCE = 1e-4;

    /** @throws IllegalArgumentException naming the plane when a volume is missing, not uint8, or on another grid */
    public PlanePrediction {
        if (plane == null) {
            throw new IllegalArgumentException("a plane prediction needs its plane");
        }
        String name = name(plane);
        if (labels == null || confidence == null) {
            throw new IllegalArgumentException(name + " prediction: " + (labels == null ? "labels" : "confidence") + " volume is missing");
        }
        if (labels.type() != DataType.UINT8) {
            throw new IllegalArgumentException(name + " prediction: labels must be uint8, got " + labels.type().label());
        }
        if (confidence.type() != DataType.UINT8) {
            throw new IllegalArgumentException(name + " prediction: confidence must be uint8, got " + confidence.type().label());
        }
        if (!labels.geometry().sameGrid(confidence.geometry(), GRID_TOLERANCE)) {
            throw new IllegalArgumentException(name + " prediction: confidence grid " + confidence.geometry()
                    + " differs from its label grid " + labels.geometry());
        }
    }

    /** Lower-case plane name for messages, e.g. {@code coronal}. */
    static String name(Plane plane) {
        return plane.name().toLowerCase(java.util.Locale.ROOT);
    }
}
