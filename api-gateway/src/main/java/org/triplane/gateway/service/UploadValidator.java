package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.InvalidTransformException;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Checks an upload with the imaging core before anything is stored: the CT is a readable NIfTI
 * volume whose data is all there; the optional transform parses, is finite and is a proper rotation
 * (without one the preprocess-worker derives the rotation from the atlas registration); the
 * optional label volume lies on the CT's grid and holds only labels 0..20. Each failure is a 400
 * naming the part and the problem.
 */
@ApplicationScoped
public class UploadValidator {

    /** Highest ASPECTS label (0 background, 1..10 one hemisphere, 11..20 the other). */
    public static final int MAX_LABEL = 20;

    private final double rotationTolerance;
    private final double gridTolerance;

    @Inject
    public UploadValidator(GatewayConfig config) {
        this(config.upload().rotationTolerance(), config.upload().gridTolerance());
    }

    /**
     * @param rotationTolerance largest deviation of M·Mᵀ from the identity (unitless)
     * @param gridTolerance     largest grid difference, mm or direction cosine
     */
    public UploadValidator(double rotationTolerance, double gridTolerance) {
        this.rotationTolerance = rotationTolerance;
        this.gridTolerance = gridTolerance;
    }

    /**
     * @param ct        the CT part
     * @param transform the transform part, or {@code null} when the scan comes without one
     * @param labels    the label part, or {@code null}
     * @return what was found
     * @throws RequestRejected 400 naming the first part at fault
     */
    public ValidatedScan validate(UploadedPart ct, UploadedPart transform, UploadedPart labels) {
        NiftiReader.Loaded image = readVolume(ct);
        AffineTransform t = transform == null ? null : readTransform(transform);
        if (labels != null) {
            checkLabels(labels, image.header().geometry());
        }
        return new ValidatedScan(image.header().geometry(), t);
    }

    private static NiftiReader.Loaded readVolume(UploadedPart part) {
        try {
            NiftiReader.Loaded loaded = NiftiReader.readWithHeader(part.file());
            if (loaded.header().geometry().voxelCount() < 1) {
                throw RequestRejected.badRequest(part.name(), "volume has no voxels");
            }
            return loaded;
        } catch (InvalidImageException e) {
            throw RequestRejected.badRequest(part.name(), "not a usable NIfTI-1 volume: " + e.problem());
        } catch (IOException e) {
            throw new UncheckedIOException("reading uploaded part " + part.name(), e);
        }
    }

    private AffineTransform readTransform(UploadedPart part) {
        AffineTransform t;
        try {
            t = ItkTransformFile.read(part.file());
        } catch (InvalidTransformException e) {
            throw RequestRejected.badRequest(part.name(), "not a usable ITK transform file: " + e.problem());
        } catch (IOException e) {
            throw new UncheckedIOException("reading uploaded part " + part.name(), e);
        }
        if (!finite(t.matrix()) || !finite(t.center()) || !finite(t.translation())) {
            throw RequestRejected.badRequest(part.name(), "transform has non-finite values");
        }
        if (!t.isRotation(rotationTolerance)) {
            throw RequestRejected.badRequest(part.name(), String.format(java.util.Locale.ROOT,
                    "transform is not a rotation: matrix %s deviates from orthonormal by %.3g (tolerance %.1g) or mirrors",
                    Arrays.toString(t.matrix()), t.orthonormalityError(), rotationTolerance));
        }
        return t;
    }

    private void checkLabels(UploadedPart part, Geometry ctGrid) {
        Volume labels = readVolume(part).volume();
        Geometry g = labels.geometry();
        if (!g.sameGrid(ctGrid, gridTolerance)) {
            throw RequestRejected.badRequest(part.name(), "label grid differs from the CT grid: labels " + g + ", ct " + ctGrid);
        }
        VoxelBuffer v = labels.voxels();
        for (int i = 0, n = v.length(); i < n; i++) {
            double value = v.get(i);
            if (!(value >= 0 && value <= MAX_LABEL) || value != Math.rint(value)) {
                int nx = g.nx();
                int ny = g.ny();
                throw RequestRejected.badRequest(part.name(), "label " + value + " at voxel (" + (i % nx) + ", "
                        + (i / nx % ny) + ", " + (i / nx / ny) + ") is outside the labels 0.." + MAX_LABEL);
            }
        }
    }

    private static boolean finite(double[] values) {
        return Arrays.stream(values).allMatch(Double::isFinite);
    }
}
