package org.triplane.segmentation.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.registration.DisplacementField;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * One preprocessed scan: its windowed volume and, for training, its labels, on one grid.
 *
 * @param id       name used in error messages and reports (for example the scan's object key)
 * @param windowed uint8 window bytes 0..254 (0 = outside the window), x fastest, LPS mm, anatomy
 *                 aligned with the LPS axes (the scan rotated through its transform)
 * @param labels   uint8 ASPECTS labels 0..20 on the same grid, or {@code null} for an unlabelled scan
 * @param toAtlas  the registration's map from this grid's points (LPS mm, the rotated scan) to atlas
 *                 points (LPS mm), ITK convention; {@code null} when the scan was not registered (models
 *                 on an atlas-placed grid need it)
 * @param atlasWarp the deformable part of the registration, a displacement of the atlas space that
 *                 {@code toAtlas} reaches ({@link DisplacementField}, LPS mm), or {@code null} for an
 *                 affine registration only
 */
public record ScanVolumes(String id, Volume windowed, Volume labels, AffineTransform toAtlas,
                         DisplacementField atlasWarp) {
    /** Largest difference (mm, or cosine) at which two grids still count as one. */
    public static final double GRID_TOLERANCE = 1e-4;

    public ScanVolumes {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(windowed, "windowed volume of scan " + id);
        if (windowed.type() != DataType.UINT8) {
            throw new IllegalArgumentException("scan " + id + ": windowed volume must be uint8, got " + windowed.type().label());
        }
        if (labels != null) {
            if (labels.type() != DataType.UINT8) {
                throw new IllegalArgumentException("scan " + id + ": labels must be uint8, got " + labels.type().label());
            }
            List<String> differences = differences(windowed.geometry(), labels.geometry());
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException("scan " + id + ": label grid differs from the windowed scan's grid in "
                        + String.join("; ", differences));
            }
            byte[] data = ((VoxelBuffer.UInt8) labels.voxels()).data;
            for (int i = 0; i < data.length; i++) {
                if ((data[i] & 0xFF) >= AspectsRegion.CLASSES_WITH_BACKGROUND) {
                    throw new IllegalArgumentException("scan " + id + ": label " + (data[i] & 0xFF) + " at voxel " + i
                            + " is outside 0.." + AspectsRegion.COUNT);
                }
            }
        }
    }

    /** A scan without a registration. */
    public ScanVolumes(String id, Volume windowed, Volume labels) {
        this(id, windowed, labels, null, null);
    }

    /** A scan with an affine registration only. */
    public ScanVolumes(String id, Volume windowed, Volume labels, AffineTransform toAtlas) {
        this(id, windowed, labels, toAtlas, null);
    }

    /** An unlabelled scan (inference). */
    public static ScanVolumes unlabelled(String id, Volume windowed) {
        return new ScanVolumes(id, windowed, null);
    }

    /** The same scan without its labels (what inference gets). */
    public ScanVolumes withoutLabels() {
        return new ScanVolumes(id, windowed, null, toAtlas, atlasWarp);
    }

    /** The same scan with its registration to the atlas (this grid's points → atlas points, LPS mm). */
    public ScanVolumes withToAtlas(AffineTransform transform) {
        return new ScanVolumes(id, windowed, labels, Objects.requireNonNull(transform, "toAtlas"), atlasWarp);
    }

    /** The same scan with the deformable part of its registration (see {@link #atlasWarp}). */
    public ScanVolumes withAtlasWarp(DisplacementField field) {
        if (toAtlas == null) {
            throw new IllegalStateException("scan " + id + ": a deformable registration needs the affine one first");
        }
        return new ScanVolumes(id, windowed, labels, toAtlas, Objects.requireNonNull(field, "atlasWarp"));
    }

    public boolean labelled() {
        return labels != null;
    }

    public Geometry grid() {
        return windowed.geometry();
    }

    /** How {@code b} differs from {@code a}, one phrase per property; empty when they are one grid. */
    static List<String> differences(Geometry a, Geometry b) {
        List<String> out = new ArrayList<>();
        if (a.nx() != b.nx() || a.ny() != b.ny() || a.nz() != b.nz()) {
            out.add("dimensions " + b.nx() + "×" + b.ny() + "×" + b.nz() + " vs " + a.nx() + "×" + a.ny() + "×" + a.nz());
        }
        if (!close(a.spacing(), b.spacing())) {
            out.add("spacing " + Arrays.toString(b.spacing()) + " vs " + Arrays.toString(a.spacing()) + " mm");
        }
        if (!close(a.origin(), b.origin())) {
            out.add("origin " + Arrays.toString(b.origin()) + " vs " + Arrays.toString(a.origin()) + " (LPS mm)");
        }
        if (!close(a.direction(), b.direction())) {
            out.add("direction " + Arrays.toString(b.direction()) + " vs " + Arrays.toString(a.direction()));
        }
        return out;
    }

    private static boolean close(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i] - y[i]) > GRID_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ScanVolumes[" + id + ", " + windowed.geometry() + (labels == null ? ", unlabelled]" : ", labelled]");
    }
}
