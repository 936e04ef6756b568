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
 * @param confidence {@code round(255 × max softmax probability)} per voxel, 0..255; or {@code null}
 *                   when the vote does not weigh it ({@link FusionMethod#weighsConfidence()}): then it
 *                   need not be read at all
 */
public record PlanePrediction(Plane plane, Volume labels, Volume confidence) {
    /** Largest difference (mm, direction cosine) tolerated between grids that should be one. */
    static final double GRID_TOLERANCE = 1e-4;

    /** @throws IllegalArgumentException naming the plane when the labels are missing, or a volume is not uint8 or on another grid */
    public PlanePrediction {
        if (plane == null) {
            throw new IllegalArgumentException("a plane prediction needs its plane");
        }
        String name = plane.wireName();
        if (labels == null) {
            throw new IllegalArgumentException(name + " prediction: labels volume is missing");
        }
        if (labels.type() != DataType.UINT8) {
            throw new IllegalArgumentException(name + " prediction: labels must be uint8, got " + labels.type().label());
        }
        if (confidence != null && confidence.type() != DataType.UINT8) {
            throw new IllegalArgumentException(name + " prediction: confidence must be uint8, got " + confidence.type().label());
        }
        if (confidence != null && !labels.geometry().sameGrid(confidence.geometry(), GRID_TOLERANCE)) {
            throw new IllegalArgumentException(name + " prediction: confidence grid " + confidence.geometry()
                    + " differs from its label grid " + labels.geometry());
        }
    }

    /** The labels alone, for a vote that does not weigh confidence. */
    public static PlanePrediction labelsOnly(Plane plane, Volume labels) {
        return new PlanePrediction(plane, labels, null);
    }

    public boolean hasConfidence() {
        return confidence != null;
    }
}
