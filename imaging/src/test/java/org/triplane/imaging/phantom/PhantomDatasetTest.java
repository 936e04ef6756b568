package org.triplane.imaging.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/** Writes small synthetic datasets and reads them back with the project's own readers. */
class PhantomDatasetTest {
    private static final PhantomSpec SPEC = PhantomSpec.of(96, 96, 40, new double[] {2.2, 2.2, 3.5}, 7L);
    private static final Set<String> FILES = Set.of("1.nii.gz", "1.txt", "1-seg.nii.gz", "2.nii.gz", "2.txt", "2-seg.nii.gz");

    @TempDir
    Path dir;

    @Test
    void writesTheStudyLayoutAndReadsBack() throws IOException {
        Path out = dir.resolve("a");
        List<Integer> progress = new ArrayList<>();
        PhantomDataset.Result result = PhantomDataset.write(new PhantomGenerator(SPEC, 2), out, 2,
                (done, total, subject) -> {
                    assertEquals(2, total);
                    assertEquals(done, subject.number());
                    progress.add(done);
                });
        assertEquals(List.of(1, 2), progress);
        assertEquals(FILES, names(out));
        assertEquals(2, result.subjects().size());

        for (PhantomDataset.SubjectFiles f : result.subjects()) {
            int n = f.number();
            assertEquals(n + ".nii.gz", f.ctFile());
            assertEquals(n + ".txt", f.transformFile());
            assertEquals(n + "-seg.nii.gz", f.segFile());

            Volume ct = NiftiReader.read(out.resolve(f.ctFile()));
            Volume seg = NiftiReader.read(out.resolve(f.segFile()));
            assertEquals(DataType.INT16, ct.type());
            assertEquals(DataType.UINT8, seg.type());
            Geometry g = ct.geometry();
            assertTrue(g.sameGrid(seg.geometry(), 0), "CT and labels must share one grid");
            assertEquals(96, g.nx());
            assertEquals(96, g.ny());
            assertEquals(40, g.nz());
            assertArrayEquals(new double[] {2.2, 2.2, 3.5}, g.spacing(), 1e-6);
            assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, g.direction(), 1e-6, "axial CT: identity direction");
            // centre of a 96-voxel axis at 2.2 mm is 47.5 voxels from the origin
            assertArrayEquals(new double[] {-47.5 * 2.2, -47.5 * 2.2, PhantomSpec.DEFAULT_CENTRE_Z_MM - 19.5 * 3.5},
                    g.origin(), 1e-3);
            assertArrayEquals(new double[] {0, 0, PhantomSpec.DEFAULT_CENTRE_Z_MM}, g.centre(), 1e-3);

            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int i = 0; i < ct.voxels().length(); i++) {
                min = Math.min(min, ct.voxels().get(i));
                max = Math.max(max, ct.voxels().get(i));
            }
            assertEquals(-1024, min, "air");
            assertTrue(max > 300 && max <= 3071, "skull present and HU within the 12-bit range: max " + max);

            long[] counts = new long[21];
            for (int i = 0; i < seg.voxels().length(); i++) {
                int l = (int) seg.voxels().get(i);
                assertTrue(l >= 0 && l <= 20, "label " + l);
                counts[l]++;
            }
            assertArrayEquals(counts, f.labelCounts(), "reported per-class counts");
            for (int l = 1; l <= 20; l++) {
                assertTrue(counts[l] > 0, "label " + l + " missing");
            }
            assertEquals(seg.voxels().length() - counts[0], f.labelledVoxels());

            Path txt = out.resolve(f.transformFile());
            assertTrue(Files.readString(txt, StandardCharsets.UTF_8).startsWith("#Insight Transform File V1.0\n"));
            List<ItkTransformFile.Entry> entries = ItkTransformFile.parse(txt);
            assertEquals(1, entries.size());
            assertEquals("MatrixOffsetTransformBase_double_3_3", entries.get(0).type());
            assertEquals(12, entries.get(0).parameters().length);
            assertArrayEquals(new double[] {0, 0, 0}, entries.get(0).fixedParameters(), "rotation centre folded into the translation");
            AffineTransform t = ItkTransformFile.read(txt);
            assertTrue(t.isRotation(1e-12), "pose must be a proper rotation");
            EulerAngles fromFile = EulerAngles.of(t.matrix());
            assertEquals(fromFile.x(), f.eulerAngles().x(), 1e-12);
            assertEquals(fromFile.y(), f.eulerAngles().y(), 1e-12);
            assertEquals(fromFile.z(), f.eulerAngles().z(), 1e-12);
            for (double deg : new double[] {fromFile.xDegrees(), fromFile.yDegrees(), fromFile.zDegrees()}) {
                assertTrue(Math.abs(deg) <= 12, "angle " + deg + "° outside the default ±12°");
            }
            assertArrayEquals(f.translation(), t.translation(), 0);
            // the rotation turns about the grid centre c, so T(c) = c + t with |t| ≤ 6 mm per axis
            double[] c = g.centre();
            double[] tc = t.apply(c);
            for (int d = 0; d < 3; d++) {
                assertTrue(Math.abs(tc[d] - c[d]) <= 6 + 1e-3, "translation at the grid centre " + (tc[d] - c[d]) + " mm");
            }
        }
        assertNotEquals(result.subjects().get(0).eulerAngles(), result.subjects().get(1).eulerAngles(),
                "subjects of one dataset must differ");
    }

    @Test
    void sameSeedGivesByteIdenticalFilesWhateverTheThreadCount() throws IOException {
        Path a = dir.resolve("two-threads");
        Path b = dir.resolve("one-thread");
        PhantomDataset.write(new PhantomGenerator(SPEC, 2), a, 2, null);
        PhantomDataset.write(new PhantomGenerator(SPEC, 1), b, 2, null);
        assertEquals(FILES, names(a));
        assertEquals(FILES, names(b));
        for (String name : FILES) {
            assertEquals(-1L, Files.mismatch(a.resolve(name), b.resolve(name)), name + " differs between runs");
        }
    }

    @Test
    void differentSeedGivesDifferentFiles() throws IOException {
        Path a = dir.resolve("seed-7");
        Path b = dir.resolve("seed-8");
        PhantomDataset.write(new PhantomGenerator(SPEC, 2), a, 2, null);
        PhantomDataset.write(new PhantomGenerator(SPEC.withSeed(8L), 2), b, 2, null);
        for (String name : FILES) {
            assertNotEquals(-1L, Files.mismatch(a.resolve(name), b.resolve(name)), name + " should depend on the seed");
        }
    }

    private static Set<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
