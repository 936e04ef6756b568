package org.triplane.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.Volume;

/**
 * Planted patient name, identifier and UIDs in a series: none of them appears in what the reader
 * gives (the volume, its NIfTI file, the result's text), in a refusal's message, or on standard
 * output or error while it reads.
 */
class DicomPatientDataTest {
    static final String NAME = "Quintillafox^Zebedee";
    static final String ID = "MRN-48151623";
    static final String STUDY_UID = "1.2.826.0.1.3680043.10.1453.777.424242";
    static final String SERIES_UID = "1.2.826.0.1.3680043.10.1453.777.424242.5";

    @TempDir
    Path tmp;

    static DicomSeriesWriter planted() {
        DicomSeriesWriter w = new DicomSeriesWriter();
        w.patientName = NAME;
        w.patientId = ID;
        w.studyUid = STUDY_UID;
        w.seriesUid = SERIES_UID;
        return w;
    }

    static void assertNothingPlanted(String where, String text) {
        for (String planted : List.of(NAME, "Quintillafox", "Zebedee", ID, "48151623", STUDY_UID, "424242")) {
            assertFalse(text.contains(planted), where + " holds the planted '" + planted + "'");
        }
    }

    @Test
    void noPlantedAttributeLeavesTheReader() throws IOException {
        Volume head = new PhantomGenerator(PhantomSpec.of(40, 36, 12, new double[] {4, 4.5, 2.5}, 5)).generate(1).ct();
        Path series = tmp.resolve("series");
        planted().writeFolder(head, series);
        String sample = new String(Files.readAllBytes(Files.list(series).findFirst().orElseThrow()), StandardCharsets.ISO_8859_1);
        assertTrue(sample.contains(NAME) && sample.contains(ID), "the planted values are in the files");

        List<String> messages = new ArrayList<>();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        Path nifti = tmp.resolve("converted.nii.gz");
        try {
            DicomSeries s = DicomSeriesReader.read(series);
            NiftiWriter.write(s.volume(), nifti);
            messages.add(s.toString());
            for (DicomSeriesWriter bad : refusedKinds()) {
                Path dir = tmp.resolve("refused-" + messages.size());
                bad.writeFolder(head, dir);
                InvalidImageException e = assertThrows(InvalidImageException.class, () -> DicomSeriesReader.read(dir));
                messages.add(e.getMessage());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        byte[] bytes;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(nifti))) {
            bytes = in.readAllBytes();
        }
        assertNothingPlanted("the converted NIfTI file", new String(bytes, StandardCharsets.ISO_8859_1));
        assertNothingPlanted("standard output and error", console.toString(StandardCharsets.UTF_8));
        for (String m : messages) {
            assertNothingPlanted("'" + m + "'", m);
        }
    }

    private static List<DicomSeriesWriter> refusedKinds() {
        DicomSeriesWriter mr = planted();
        mr.modality = "MR";
        DicomSeriesWriter tilt = planted();
        tilt.tiltDegrees = 20;
        DicomSeriesWriter mixed = planted();
        mixed.seriesUidOf = k -> k == 2 ? SERIES_UID + "1" : SERIES_UID;
        DicomSeriesWriter missing = planted();
        missing.dropped = java.util.Set.of(4);
        return List.of(mr, tilt, mixed, missing);
    }
}
