package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.imaging.dicom.DicomSeries;
import org.triplane.imaging.dicom.DicomSeriesReader;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.nifti.VolumeTooLargeException;

/**
 * An upload's {@code dicom} part — a zip of one CT series — made into the NIfTI file that is then
 * validated and stored as the scan's {@code ct}, exactly as the command line converts a series
 * before uploading it (same reader, same writer, so the same bytes and checksum).
 *
 * <p>Memory: the series' volume (2 bytes per voxel for an integral rescale, 4 otherwise), bounded by
 * the upload's {@link VolumeLimits} before it is allocated, plus one slice; the zip is read in place
 * from the part's temporary file. Nothing of the files but the grid and the voxels reaches the NIfTI
 * file; no attribute is logged.
 */
@ApplicationScoped
public class DicomConversion {
    /** The multipart part that holds the zip. */
    public static final String PART = "dicom";

    private final VolumeLimits limits;
    private final Path tempDir;

    @Inject
    public DicomConversion(GatewayConfig config) {
        this(config.upload().volumeLimits(), config.upload().tempDir().map(Path::of).orElse(null));
    }

    DicomConversion(VolumeLimits limits, Path tempDir) {
        this.limits = limits;
        this.tempDir = tempDir;
    }

    /**
     * @return a temporary NIfTI file (gzip) of the series; the caller deletes it
     * @throws RequestRejected 400 naming the zip entry and the reason the series is refused, 413 over the limits
     */
    public Path toNifti(Path zip) {
        DicomSeries series;
        try {
            series = DicomSeriesReader.read(zip, limits);
        } catch (VolumeTooLargeException e) {
            throw new RequestRejected(413, PART, e.problem());
        } catch (InvalidImageException e) {
            throw RequestRejected.badRequest(PART, "not one axial CT series in an uncompressed DICOM zip: " + e.problem());
        } catch (IOException e) {
            throw RequestRejected.badRequest(PART, "unreadable zip: " + e.getMessage());
        }
        try {
            Path out = tempDir == null ? Files.createTempFile("dicom-", ".nii.gz") : Files.createTempFile(tempDir, "dicom-", ".nii.gz");
            NiftiWriter.write(series.volume(), out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the converted DICOM series", e);
        }
    }
}
