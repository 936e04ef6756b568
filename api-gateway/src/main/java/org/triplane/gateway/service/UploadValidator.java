package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.InvalidTransformException;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiFile;
import org.triplane.imaging.nifti.NiftiVoxelStream;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.nifti.VolumeTooLargeException;
import org.triplane.imaging.volume.Geometry;

/**
 * Checks an upload with the imaging core before anything is stored: the CT is a readable NIfTI
 * volume whose data is all there and finite; the optional transform parses, is finite and is a
 * proper rotation (without one the preprocess-worker derives the rotation from the atlas
 * registration); the optional label volume lies on the CT's grid and holds only labels 0..20. Each
 * failure is a 400 naming the part and the problem; a NIfTI part whose header declares more than
 * the {@link VolumeLimits} is a 413, refused before any of its voxels is inflated.
 *
 * <p>Memory does not grow with the scan: each NIfTI part is checked from its header, then its
 * voxels are read once in runs ({@link NiftiVoxelStream}) and never held; the CT is done with
 * before the labels are read.
 */
@ApplicationScoped
public class UploadValidator {

    /** Highest ASPECTS label (0 background, 1..10 one hemisphere, 11..20 the other). */
    public static final int MAX_LABEL = 20;

    private final double rotationTolerance;
    private final double gridTolerance;
    private final VolumeLimits limits;

    @Inject
    public UploadValidator(GatewayConfig config) {
        this(config.upload().rotationTolerance(), config.upload().gridTolerance(), config.upload().volumeLimits());
    }

    /**
     * @param rotationTolerance largest deviation of M·Mᵀ from the identity (unitless)
     * @param gridTolerance     largest grid difference, mm or direction cosine
     * @param limits            what a NIfTI part's header may declare
     */
    public UploadValidator(double rotationTolerance, double gridTolerance, VolumeLimits limits) {
        this.rotationTolerance = rotationTolerance;
        this.gridTolerance = gridTolerance;
        this.limits = limits;
    }

    /**
     * @param ct        the CT part
     * @param transform the transform part, or {@code null} when the scan comes without one
     * @param labels    the label part, or {@code null}
     * @return what was found
     * @throws RequestRejected 400 (413 over the limits) naming the first part at fault
     */
    public ValidatedScan validate(UploadedPart ct, UploadedPart transform, UploadedPart labels) {
        Geometry ctGrid = checkCt(ct);
        AffineTransform t = transform == null ? null : readTransform(transform);
        if (labels != null) {
            checkLabels(labels, ctGrid);
        }
        return new ValidatedScan(ctGrid, t);
    }

    private Geometry checkCt(UploadedPart part) {
        return check(part, (header, stream) -> {
            Path file = header.file();
            stream.forEachRun((first, values, count) -> {
                for (int i = 0; i < count; i++) {
                    if (!Double.isFinite(values[i])) {
                        throw new ValueRefused(file, "CT value " + values[i] + " at voxel " + voxel(header, first + i)
                                + " is not a finite number (HU)");
                    }
                }
            });
        });
    }

    private void checkLabels(UploadedPart part, Geometry ctGrid) {
        check(part, (header, stream) -> {
            Geometry g = header.geometry();
            if (!g.sameGrid(ctGrid, gridTolerance)) {
                throw new ValueRefused(header.file(), "label grid differs from the CT grid: labels " + g + ", ct " + ctGrid);
            }
            stream.forEachRun((first, values, count) -> {
                for (int i = 0; i < count; i++) {
                    double value = values[i];
                    if (!(value >= 0 && value <= MAX_LABEL) || value != Math.rint(value)) {
                        throw new ValueRefused(header.file(), "label " + value + " at voxel " + voxel(header, first + i)
                                + " is outside the labels 0.." + MAX_LABEL);
                    }
                }
            });
        });
    }

    /** What to check of a NIfTI part once its header passed the limits: its voxels, read once. */
    @FunctionalInterface
    private interface VoxelCheck {
        void check(NiftiFile header, NiftiVoxelStream stream) throws IOException;
    }

    /** Opens a NIfTI part within the limits and runs a check over it; @return the part's grid. */
    private Geometry check(UploadedPart part, VoxelCheck check) {
        try (NiftiVoxelStream stream = NiftiVoxelStream.open(part.file(), limits)) {
            check.check(stream.header(), stream);
            return stream.header().geometry();
        } catch (ValueRefused e) {
            throw RequestRejected.badRequest(part.name(), e.problem());
        } catch (VolumeTooLargeException e) {
            throw new RequestRejected(413, part.name(), e.problem());
        } catch (InvalidImageException e) {
            throw RequestRejected.badRequest(part.name(), "not a usable NIfTI-1 volume: " + e.problem());
        } catch (IOException e) {
            throw new UncheckedIOException("reading uploaded part " + part.name(), e);
        }
    }

    /** A readable volume whose content is refused (values, grid): its message stands alone. */
    private static final class ValueRefused extends InvalidImageException {
        ValueRefused(Path file, String problem) {
            super(file, problem);
        }
    }

    private static String voxel(NiftiFile header, long index) {
        long nx = header.geometry().nx();
        long ny = header.geometry().ny();
        return "(" + index % nx + ", " + index / nx % ny + ", " + index / nx / ny + ")";
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

    private static boolean finite(double[] values) {
        return Arrays.stream(values).allMatch(Double::isFinite);
    }
}
