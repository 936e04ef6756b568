package org.triplane.imaging.registration;

import java.io.IOException;
import java.nio.file.Path;
import org.triplane.imaging.geometry.ItkTransformFile;

/**
 * File names of a registration's outputs in a folder, and the writing of its ITK transform files
 * ({@code MatrixOffsetTransformBase_double_3_3}, readable by ITK and ITK-SNAP). Each file is named
 * for what it resamples, in ITK's convention {@code out(p) = in(T(p))}.
 */
public final class RegistrationFiles {
    /** {@link RegistrationResult#scanToAtlas()}: maps scan points to atlas points, so it resamples the ATLAS into SCAN space. */
    public static final String ATLAS_TO_SCAN = "atlas-to-scan.txt";
    /** {@link RegistrationResult#atlasToScan()}: maps atlas points to scan points, so it resamples the SCAN into ATLAS space. */
    public static final String SCAN_TO_ATLAS = "scan-to-atlas.txt";
    /** {@link RegistrationResult#standardOrientation()}: resamples the scan onto its own grid in the atlas's orientation. */
    public static final String STANDARD_ORIENTATION = "standard-orientation.txt";
    /** The atlas labels on the scan's grid ({@link AtlasLabels#onScanGrid}). */
    public static final String ATLAS_LABELS = "atlas-labels.nii.gz";
    /** Quality, transforms' parameters, timings. */
    public static final String REPORT = "registration.json";

    private RegistrationFiles() {
    }

    /** Writes the three transform files into {@code dir} (which must exist). */
    public static void writeTransforms(RegistrationResult result, Path dir) throws IOException {
        ItkTransformFile.write(result.scanToAtlas(), dir.resolve(ATLAS_TO_SCAN));
        ItkTransformFile.write(result.atlasToScan(), dir.resolve(SCAN_TO_ATLAS));
        ItkTransformFile.write(result.standardOrientation(), dir.resolve(STANDARD_ORIENTATION));
    }
}
