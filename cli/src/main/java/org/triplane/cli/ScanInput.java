package org.triplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.triplane.imaging.dicom.DicomSeries;
import org.triplane.imaging.dicom.DicomSeriesReader;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiWriter;

/**
 * What {@code submit} and {@code predict} take as their input, made into a folder in the study's
 * layout ({@link StudyLayout}):
 *
 * <ul>
 *   <li>a folder in the study's layout: taken as it is;</li>
 *   <li>one CT file, {@code .nii.gz} or {@code .nii}: a scan without transform or labels;</li>
 *   <li>a DICOM series, a folder or a zip of one: converted here, on this machine, with
 *       {@link DicomSeriesReader} into a NIfTI file in HU — only the grid and the voxels, nothing
 *       that identifies the patient, is written, and only that file is uploaded.</li>
 * </ul>
 *
 * A converted or single-file input lives in a temporary folder as scan {@code 1} until
 * {@link #close()}. The conversion is deterministic (same series, same bytes), so a re-run after an
 * interruption finds the scan already uploaded.
 */
final class ScanInput implements AutoCloseable {
    /** What the input was. */
    enum Kind { STUDY_FOLDER, CT_FILE, DICOM_SERIES }

    private final Path folder;
    private final Kind kind;
    private final boolean temporary;

    private ScanInput(Path folder, Kind kind, boolean temporary) {
        this.folder = folder;
        this.kind = kind;
        this.temporary = temporary;
    }

    /** The folder in the study's layout to submit. */
    Path folder() {
        return folder;
    }

    Kind kind() {
        return kind;
    }

    /**
     * @throws InputException naming the input and what is wrong with it (a DICOM series' refusal
     *                        names the file and the reason)
     */
    static ScanInput of(Path input) throws InputException, IOException {
        if (Files.isDirectory(input) && hasStudyScans(input)) {
            StudyLayout.discover(input);
            return new ScanInput(input, Kind.STUDY_FOLDER, false);
        }
        String name = input.getFileName() == null ? "" : input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(input) && (name.endsWith(".nii.gz") || name.endsWith(".nii"))) {
            return singleFile(input, name.endsWith(".nii"));
        }
        if (DicomSeriesReader.looksLikeSeries(input)) {
            return dicom(input);
        }
        if (Files.isDirectory(input)) {
            StudyLayout.discover(input);
        }
        throw new InputException(input + (Files.exists(input)
                ? ": neither a folder in the study's layout (N.nii.gz, N.txt, N-seg.nii.gz), a CT file (.nii.gz, .nii) "
                        + "nor a DICOM series (a folder or zip of DICOM files)"
                : ": does not exist"));
    }

    private static boolean hasStudyScans(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().matches("\\d+\\.nii\\.gz"));
        }
    }

    private static ScanInput singleFile(Path ct, boolean plain) throws IOException {
        Path dir = temporaryFolder("triplane-scan");
        Path target = dir.resolve("1.nii.gz");
        target.toFile().deleteOnExit();
        if (plain) {
            // why: the study's layout takes gzip files; compressing keeps the file's bytes as they are
            try (InputStream in = Files.newInputStream(ct); OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
                in.transferTo(out);
            }
        } else {
            Files.createSymbolicLink(target, ct.toAbsolutePath());
        }
        return new ScanInput(dir, Kind.CT_FILE, true);
    }

    private static ScanInput dicom(Path series) throws InputException, IOException {
        DicomSeries s;
        try {
            s = DicomSeriesReader.read(series);
        } catch (InvalidImageException e) {
            throw new InputException("DICOM series " + e.getMessage());
        }
        Path dir = temporaryFolder("triplane-dicom");
        dir.resolve("1.nii.gz").toFile().deleteOnExit();
        NiftiWriter.write(s.volume(), dir.resolve("1.nii.gz"));
        return new ScanInput(dir, Kind.DICOM_SERIES, true);
    }

    /**
     * A temporary folder that is removed with its file also when the command is interrupted (Ctrl-C
     * ends the JVM before {@link #close()} runs): files marked after it are deleted before it.
     */
    private static Path temporaryFolder(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        dir.toFile().deleteOnExit();
        return dir;
    }

    /** Removes the temporary folder of a converted or single-file input. */
    @Override
    public void close() throws IOException {
        if (!temporary) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
