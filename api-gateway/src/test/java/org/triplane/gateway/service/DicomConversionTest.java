package org.triplane.gateway.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.dicom.DicomSeriesWriter;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.Volume;

/** A {@code dicom} upload part: the same NIfTI file the command line makes, or a refusal naming the entry and not the server's files. */
class DicomConversionTest {
    @TempDir
    Path tmp;

    private final Volume head = new PhantomGenerator(PhantomSpec.of(24, 20, 8, new double[] {8, 9, 5}, 2)).generate(1).ct();

    @Test
    void aSeriesBecomesTheNiftiFileOfItsVolume() throws Exception {
        Path zip = new DicomSeriesWriter().writeZip(head, tmp.resolve("upload-part-123"));
        Path converted = new DicomConversion(new VolumeLimits(1 << 20, 1 << 24, 1), tmp).toNifti(zip);
        Path expected = tmp.resolve("expected.nii.gz");
        NiftiWriter.write(head, expected);
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(converted));
        assertTrue(converted.startsWith(tmp), converted.toString());
    }

    @Test
    void aTiltedSeriesIs400NamingTheEntryAndALargeOne413() throws Exception {
        DicomSeriesWriter tilted = new DicomSeriesWriter();
        tilted.tiltDegrees = 9;
        Path zip = tilted.writeZip(head, tmp.resolve("upload-part-456"));
        RequestRejected bad = assertThrows(RequestRejected.class,
                () -> new DicomConversion(new VolumeLimits(1 << 20, 1 << 24, 1), tmp).toNifti(zip));
        assertEquals(400, bad.status());
        assertEquals("dicom", bad.part());
        assertTrue(bad.getMessage().contains("SERIES1/IM") && bad.getMessage().contains("gantry tilt"), bad.getMessage());
        assertFalse(bad.getMessage().contains(tmp.toString()), "the server's temporary path is not echoed: " + bad.getMessage());

        Path plain = new DicomSeriesWriter().writeZip(head, tmp.resolve("upload-part-789"));
        RequestRejected large = assertThrows(RequestRejected.class,
                () -> new DicomConversion(new VolumeLimits(100, 1 << 24, 1), tmp).toNifti(plain));
        assertEquals(413, large.status());
        assertTrue(large.getMessage().contains("above the limit of 100 voxels"), large.getMessage());
    }
}
