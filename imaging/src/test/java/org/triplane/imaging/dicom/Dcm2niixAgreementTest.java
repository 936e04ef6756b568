package org.triplane.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * The reader against an independent converter: Debian's {@code dcm2niix} turns the same series
 * into a NIfTI file, which the project's NIfTI reader reads as ITK does; both must put every voxel
 * at the same LPS point with the same HU. dcm2niix orders the array its own way (it flips the rows),
 * so the comparison goes through physical space, not array index. Skipped, saying why, only where
 * dcm2niix is not installed and this is not CI ({@code .ci/run} installs it; {@code CI} set).
 */
class Dcm2niixAgreementTest {
    @TempDir
    Path tmp;

    static boolean dcm2niixPresent() {
        try {
            Process p = new ProcessBuilder("dcm2niix", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Converts the series folder with dcm2niix (gzip, no BIDS sidecar) and reads the one NIfTI file it wrote. */
    Volume dcm2niix(Path series) throws IOException, InterruptedException {
        boolean present = dcm2niixPresent();
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError("dcm2niix is not installed but CI is set: .ci/run installs Debian's dcm2niix");
        }
        assumeTrue(present, "no dcm2niix binary (Debian: apt-get install dcm2niix): the agreement of the DICOM reader with "
                + "dcm2niix is not checked");
        Path out = Files.createDirectories(tmp.resolve("dcm2niix-" + series.getFileName()));
        Process p = new ProcessBuilder("dcm2niix", "-z", "y", "-b", "n", "-f", "converted", "-o", out.toString(),
                series.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "dcm2niix did not finish");
        assertEquals(0, p.exitValue(), log);
        List<Path> written;
        try (Stream<Path> s = Files.list(out)) {
            written = s.filter(f -> f.getFileName().toString().endsWith(".nii.gz")).toList();
        }
        assertEquals(1, written.size(), "dcm2niix wrote " + written + ":\n" + log);
        return NiftiReader.read(written.get(0));
    }

    /** Every voxel of {@code ours} lies on a voxel centre of {@code theirs} with the same value; both grids have as many. */
    static void assertSameImageInSpace(Volume ours, Volume theirs) {
        Geometry a = ours.geometry();
        Geometry b = theirs.geometry();
        assertEquals(a.voxelCount(), b.voxelCount(), "voxel count: " + a + " and " + b);
        double[] sa = a.spacing().clone();
        double[] sb = b.spacing().clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        for (int i = 0; i < 3; i++) {
            assertEquals(sa[i], sb[i], 1e-4, "spacing: " + a + " and " + b);
        }
        for (int k = 0; k < a.nz(); k++) {
            for (int j = 0; j < a.ny(); j++) {
                for (int i = 0; i < a.nx(); i++) {
                    double[] q = b.physicalToIndex(a.indexToPhysical(i, j, k));
                    int[] n = new int[3];
                    for (int c = 0; c < 3; c++) {
                        n[c] = (int) Math.round(q[c]);
                        assertEquals(n[c], q[c], 1e-3, "voxel (" + i + "," + j + "," + k + ") falls between dcm2niix's voxels");
                    }
                    assertTrue(n[0] >= 0 && n[0] < b.nx() && n[1] >= 0 && n[1] < b.ny() && n[2] >= 0 && n[2] < b.nz(),
                            "voxel (" + i + "," + j + "," + k + ") is outside dcm2niix's grid");
                    assertEquals(theirs.get(n[0], n[1], n[2]), ours.get(i, j, k), 0, "HU of voxel (" + i + "," + j + "," + k + ")");
                }
            }
        }
    }

    @Test
    void aStudyGridSeriesReadsAsDcm2niixConvertsIt() throws Exception {
        Volume head = new PhantomGenerator(PhantomSpec.of(64, 56, 20, new double[] {3.2, 3.6, 5}, 11)).generate(1).ct();
        Path series = tmp.resolve("axial");
        new DicomSeriesWriter().writeFolder(head, series);
        Volume ours = DicomSeriesReader.read(series).volume();
        assertSameImageInSpace(ours, dcm2niix(series));
    }

    @Test
    void anObliqueSeriesWithARescaleReadsAsDcm2niixConvertsIt() throws Exception {
        Volume head = new PhantomGenerator(PhantomSpec.of(48, 40, 16, new double[] {4, 4.5, 2.5}, 12)).generate(1).ct();
        Geometry g = head.geometry();
        Volume oblique = new Volume(new Geometry(g.nx(), g.ny(), g.nz(), g.spacing(), new double[] {-91.25, 103.5, -140.75},
                new EulerAngles(Math.toRadians(-14), Math.toRadians(6), Math.toRadians(20)).toMatrix()), head.voxels());
        DicomSeriesWriter w = new DicomSeriesWriter();
        w.slope = 2;
        w.intercept = -1000;
        Path series = tmp.resolve("oblique");
        w.writeFolder(oblique, series);
        Volume ours = DicomSeriesReader.read(series).volume();
        assertSameImageInSpace(ours, dcm2niix(series));
    }
}
