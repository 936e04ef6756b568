package org.triplane.preprocess.service;

import java.io.IOException;
import java.nio.file.Path;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.InvalidTransformException;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.Volume;
import org.triplane.worker.run.PoisonInputException;

/**
 * The imaging step, free of any framework: read the CT (NIfTI, HU) and its ITK transform, rotate
 * through the transform onto the CT's own grid (linear, out-of-field voxels = air, −1024 HU) and
 * window to one byte per voxel (e.g. {@link Window#STUDY}: [-124, 130] HU → 0..254) in one pass (the
 * service stores the result as a volume object, worker-support's {@code VolumeObjects}); {@link #write}
 * writes the volumes users fetch as gzip NIfTI.
 *
 * <p>Volumes crossing this boundary: input and output share the CT's grid, LPS mm, array order x
 * fastest then y then z; the output holds window bytes, not HU.
 */
public final class WindowedVolumeMaker {
    /** Largest accepted deviation of the transform's matrix from orthonormal. */
    static final double ROTATION_TOLERANCE = 1e-3;

    private final WindowedRotation rotation;

    public WindowedVolumeMaker(int threads) {
        this.rotation = new WindowedRotation(new Resampler(threads));
    }

    /**
     * @param ct        CT file (NIfTI-1, HU)
     * @param transform ITK transform file (output point → input point, LPS mm)
     * @param window    HU window to one byte ({@link Window#STUDY} for the study's models)
     * @return the windowed uint8 volume on the CT's grid
     * @throws PoisonInputException when either file is unreadable, malformed or not a rotation
     */
    public Volume make(Path ct, Path transform, Window window) {
        AffineTransform t = readTransform(transform);
        Volume scan = readCt(ct);
        return make(scan, t, window);
    }

    /**
     * @param scan     the CT as acquired (HU, x fastest, LPS mm)
     * @param rotation its rotation (output point → input point, LPS mm), uploaded or derived
     * @param window   HU window to one byte
     * @return the windowed uint8 volume on the CT's grid
     */
    public Volume make(Volume scan, AffineTransform rotation, Window window) {
        return this.rotation.apply(scan, rotation, window);
    }

    /** Writes {@code volume} as gzip-compressed NIfTI-1 (uint8, sform = qform = its LPS geometry). */
    public static void write(Volume volume, Path file) {
        try {
            NiftiWriter.write(volume, file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param ct CT file (NIfTI-1, HU)
     * @return the volume as acquired
     * @throws PoisonInputException when it is not a readable NIfTI volume
     */
    public static Volume readCt(Path ct) {
        try {
            return NiftiReader.read(ct);
        } catch (InvalidImageException e) {
            throw new PoisonInputException("CT is not a readable NIfTI volume: " + e.problem(), e);
        } catch (IOException e) {
            throw new PoisonInputException("CT cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * @param transform ITK transform file (output point → input point, LPS mm)
     * @return the transform, a proper rotation
     * @throws PoisonInputException when it is unreadable, malformed, has NaN or is not a rotation
     */
    public static AffineTransform readTransform(Path transform) {
        AffineTransform t;
        try {
            t = ItkTransformFile.read(transform);
        } catch (InvalidTransformException e) {
            throw new PoisonInputException("transform file is invalid: " + e.problem(), e);
        } catch (IOException e) {
            throw new PoisonInputException("transform file cannot be read: " + e.getMessage(), e);
        }
        if (t == null) {
            throw new PoisonInputException("transform file holds no transform");
        }
        if (!t.isRotation(ROTATION_TOLERANCE)) {
            throw new PoisonInputException("transform is not a rotation (its matrix deviates from orthonormal by "
                    + t.orthonormalityError() + "); export the rigid registration, not an affine one");
        }
        return t;
    }
}
