package org.triplane.segmentation.data;

import org.triplane.imaging.fusion.PlanePrediction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.plane.PlaneStack;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

class PredictionVolumesTest {

    @Test
    void labelsComeBackExactlyWhenTheModelGridSharesTheScansSpacing() {
        // 2 mm scan; the model grid's 2 mm lattice runs through the scan's voxel centres (offsets of 10, 8, 4 voxels)
        ScanVolumes scan = TestScans.phantom(80, 96, 40, new double[] {2, 2, 2}, 5L, 1);
        ModelGrid grid = ModelGrid.of(2, 200, 224, 96);
        SampleBuilder builder = new SampleBuilder(grid, TestScans.RESAMPLER);
        PredictionVolumes back = new PredictionVolumes(grid, TestScans.RESAMPLER);
        byte[] original = TestScans.bytes(scan.labels());
        for (Plane plane : Plane.values()) {
            PlaneSamples s = builder.build(List.of(scan), plane, SampleOptions.inference(4, false));
            byte[] confidence = new byte[s.labels().length];
            for (int i = 0; i < confidence.length; i++) {
                confidence[i] = (byte) (s.labels()[i] * 12); // a second channel that must travel the same way
            }
            PlanePrediction p = back.toScanGrid(scan.grid(), plane, 4, s.labels(), confidence);
            assertTrue(p.labels().geometry().sameGrid(scan.grid(), 0));
            assertArrayEquals(original, TestScans.bytes(p.labels()), plane.toString());
            byte[] expectedConfidence = new byte[original.length];
            for (int i = 0; i < original.length; i++) {
                expectedConfidence[i] = (byte) (original[i] * 12);
            }
            assertArrayEquals(expectedConfidence, TestScans.bytes(p.confidence()), plane.toString());
        }
    }

    @Test
    void onAnAtlasPlacedGridLabelsGoThereAndComeBackThroughTheScansRegistration() {
        // 2 mm scan, registration a translation that puts its voxel centres on the model grid's lattice
        ScanVolumes plain = TestScans.phantom(80, 96, 40, new double[] {2, 2, 2}, 5L, 1);
        double[] shift = {7, 21.5, 75};
        ScanVolumes scan = plain.withToAtlas(new AffineTransform(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new double[3], shift));
        ModelGrid grid = ModelGrid.aspectsInAtlas(2);
        Geometry model = grid.atlasGeometry();
        SampleBuilder builder = new SampleBuilder(grid, TestScans.RESAMPLER);
        PredictionVolumes back = new PredictionVolumes(grid, TestScans.RESAMPLER);
        byte[] original = TestScans.bytes(scan.labels());
        Geometry g = scan.grid();
        byte[] expected = new byte[original.length];
        int inside = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.indexToPhysical(i, j, k);
                    double[] q = model.physicalToIndex(new double[] {p[0] + shift[0], p[1] + shift[1], p[2] + shift[2]});
                    boolean within = q[0] > -0.5 && q[1] > -0.5 && q[2] > -0.5 && q[0] < model.nx() - 0.5
                            && q[1] < model.ny() - 0.5 && q[2] < model.nz() - 0.5;
                    int v = i + g.nx() * (j + g.ny() * k);
                    expected[v] = within ? original[v] : 0;
                    inside += within && original[v] != 0 ? 1 : 0;
                }
            }
        }
        assertTrue(inside > 10_000, "labelled scan voxels inside the model grid: " + inside);
        for (Plane plane : Plane.values()) {
            PlaneSamples s = builder.build(List.of(scan), plane, SampleOptions.inference(4, false));
            PlanePrediction p = back.toScanGrid(scan.grid(), scan.toAtlas(), plane, 4, s.labels(), s.labels());
            assertArrayEquals(expected, TestScans.bytes(p.labels()), plane.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> builder.toModelGrid(plain));
        assertThrows(IllegalArgumentException.class, () -> back.toScanGrid(scan.grid(), null, Plane.AXIAL, 4,
                new byte[0], new byte[0]));
    }

    @Test
    void coarserGridKeepsAlmostEveryRegionVoxel() {
        ScanVolumes scan = TestScans.small(1); // 1.8 × 1.8 × 3.5 mm
        ModelGrid grid = ModelGrid.of(2.5, 250, 250, 160);
        SampleBuilder builder = new SampleBuilder(grid, TestScans.RESAMPLER);
        PredictionVolumes back = new PredictionVolumes(grid, TestScans.RESAMPLER);
        byte[] original = TestScans.bytes(scan.labels());
        for (Plane plane : Plane.values()) {
            PlaneSamples s = builder.build(List.of(scan), plane, SampleOptions.inference(4, false));
            byte[] returned = TestScans.bytes(back.toScanGrid(scan.grid(), plane, 4, s.labels(), s.labels()).labels());
            long region = 0;
            long same = 0;
            for (int i = 0; i < original.length; i++) {
                if (original[i] != 0) {
                    region++;
                    same += returned[i] == original[i] ? 1 : 0;
                }
            }
            double agreement = same / (double) region;
            assertTrue(region > 10_000, "phantom has regions");
            assertTrue(agreement >= 0.95, plane + ": " + same + " of " + region + " region voxels agree (" + agreement + ")");
        }
    }

    @Test
    void refusesArraysOfTheWrongShape() {
        ScanVolumes scan = TestScans.small(1);
        PredictionVolumes back = new PredictionVolumes(ModelGrid.of(4, 256, 256, 160), TestScans.RESAMPLER);
        int size = 40 * 64 * 64;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> back.toScanGrid(scan.grid(), Plane.AXIAL, 4, new byte[size - 1], new byte[size]));
        assertTrue(e.getMessage().contains("AXIAL labels hold " + (size - 1) + " bytes; the model grid needs 40 slices of 64×64"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> back.toScanGrid(scan.grid(), Plane.SAGITTAL, 4, new byte[size], new byte[size]));
    }

    @Test
    void throughTheClassProbabilitiesARegionsBoundaryFallsBetweenModelVoxelsWhereTheNetworkPutsIt() {
        // 0.5 mm scan, 2 mm model grid placed on it; class 1's probability rises along x through 0.5
        // 80 % of the way from one model voxel centre to the next
        Geometry scanGrid = Geometry.axisAligned(80, 40, 40, new double[] {0.5, 0.5, 0.5}, new double[] {-19.75, -9.75, -9.75});
        ModelGrid grid = ModelGrid.of(2, 40, 20, 20);
        Geometry model = grid.gridFor(scanGrid);
        double boundary = model.origin()[0] + 2 * (model.nx() / 2) + 1.6;
        Volume p1 = Volume.allocate(model, DataType.UINT8);
        Volume p0 = Volume.allocate(model, DataType.UINT8);
        Volume label = Volume.allocate(model, DataType.UINT8);
        byte[] a = TestScans.bytes(p1);
        byte[] b = TestScans.bytes(p0);
        byte[] l = TestScans.bytes(label);
        for (int k = 0, v = 0; k < model.nz(); k++) {
            for (int j = 0; j < model.ny(); j++) {
                for (int i = 0; i < model.nx(); i++, v++) {
                    double x = model.indexToPhysical(i, j, k)[0];
                    double p = Math.max(0, Math.min(1, 0.5 + (x - boundary) / 8));
                    a[v] = (byte) Math.round(255 * p);
                    b[v] = (byte) Math.round(255 * (1 - p));
                    l[v] = (byte) (p > 0.5 ? 1 : 0);
                }
            }
        }
        PredictionVolumes back = new PredictionVolumes(grid, TestScans.RESAMPLER);
        PlaneStack labels = PlaneSlicer.slice(label, Plane.AXIAL, 2, (byte) 0);
        byte[][] probabilities = {PlaneSlicer.slice(p0, Plane.AXIAL, 2, (byte) 0).data(),
            PlaneSlicer.slice(p1, Plane.AXIAL, 2, (byte) 0).data()};
        PlanePrediction smooth = back.toScanGrid(scanGrid, null, Plane.AXIAL, 2, labels.data(), labels.data(), probabilities);
        PlanePrediction nearest = back.toScanGrid(scanGrid, null, Plane.AXIAL, 2, labels.data(), labels.data());
        byte[] s = TestScans.bytes(smooth.labels());
        byte[] n = TestScans.bytes(nearest.labels());
        int nearestWrong = 0;
        for (int k = 4; k < 36; k++) {
            for (int j = 4; j < 36; j++) {
                for (int i = 4; i < 76; i++) {
                    double x = scanGrid.indexToPhysical(i, j, k)[0];
                    int v = i + 80 * (j + 40 * k);
                    if (Math.abs(x - boundary) > 0.2) {
                        int expected = x > boundary ? 1 : 0;
                        assertEquals(expected, s[v], "scan voxel at x = " + x + " mm, boundary at " + boundary);
                        nearestWrong += n[v] != expected ? 1 : 0;
                    }
                }
            }
        }
        // the nearest model voxel puts the boundary at the midpoint between the centres, 0.6 mm off: the
        // scan voxels between the two are what the probabilities get right
        assertTrue(nearestWrong > 0, "nearest-neighbour labels already matched the boundary");
    }

    @Test
    void throughTheClassProbabilitiesTheFirstOfTheMostProbableClassesWinsWhicheverClassesTheCornersCarry() {
        // 0.5 mm scan, 2 mm model grid placed on it: every model index is a multiple of 1/4 and every weight of
        // 1/64, so each interpolated probability is exact and ties are exact ties, whatever the order of adding
        Geometry scanGrid = Geometry.axisAligned(40, 36, 32, new double[] {0.5, 0.5, 0.5}, new double[3]);
        ModelGrid grid = ModelGrid.of(2, 24, 20, 18);
        Geometry model = grid.gridFor(scanGrid);
        int classes = 21;
        int voxels = (int) model.voxelCount();
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        byte[] label = new byte[voxels];
        byte[][] p = new byte[classes][voxels];
        for (int v = 0; v < voxels; v++) {
            // the networks' floor: every class a little probable everywhere
            for (int c = 0; c < classes; c++) {
                p[c][v] = (byte) (1 + random.nextInt(3));
            }
            int winner = new int[] {9, 12, 15}[random.nextInt(3)];
            label[v] = (byte) winner;
            p[winner][v] = (byte) (150 + random.nextInt(4));
            // class 2, never a label, ties with class 9 everywhere, so it wins wherever 9 would; 20 ties with 12 but comes later
            p[2][v] = p[9][v];
            p[20][v] = p[12][v];
        }
        Volume labelVolume = volume(model, label);
        byte[][] slices = new byte[classes][];
        for (int c = 0; c < classes; c++) {
            slices[c] = PlaneSlicer.slice(volume(model, p[c]), Plane.CORONAL, 2, (byte) 0).data();
        }
        byte[] labelSlices = PlaneSlicer.slice(labelVolume, Plane.CORONAL, 2, (byte) 0).data();
        PredictionVolumes back = new PredictionVolumes(grid, TestScans.RESAMPLER);
        PlanePrediction out = back.toScanGrid(scanGrid, null, Plane.CORONAL, 2, labelSlices, labelSlices, slices);
        byte[] l = TestScans.bytes(out.labels());
        byte[] c = TestScans.bytes(out.confidence());
        int mixed = 0;
        int wonByTwo = 0;
        for (int k = 0; k < scanGrid.nz(); k++) {
            for (int j = 0; j < scanGrid.ny(); j++) {
                for (int i = 0; i < scanGrid.nx(); i++) {
                    double[] q = model.physicalToIndex(scanGrid.indexToPhysical(i, j, k));
                    int x0 = (int) Math.floor(q[0]);
                    int y0 = (int) Math.floor(q[1]);
                    int z0 = (int) Math.floor(q[2]);
                    if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= model.nx() - 1 || y0 >= model.ny() - 1 || z0 >= model.nz() - 1) {
                        continue;
                    }
                    int base = x0 + model.nx() * (y0 + model.ny() * z0);
                    boolean one = true;
                    double best = -1;
                    int arg = -1;
                    for (int n = 0; n < 8; n++) {
                        one &= label[corner(model, base, n)] == label[base];
                    }
                    if (one) {
                        continue;
                    }
                    for (int cls = 0; cls < classes; cls++) {
                        double sum = 0;
                        for (int n = 0; n < 8; n++) {
                            double w = ((n & 1) == 0 ? 1 - (q[0] - x0) : q[0] - x0) * ((n & 2) == 0 ? 1 - (q[1] - y0) : q[1] - y0)
                                    * ((n & 4) == 0 ? 1 - (q[2] - z0) : q[2] - z0);
                            sum += w * (p[cls][corner(model, base, n)] & 0xFF);
                        }
                        if (sum > best) {
                            best = sum;
                            arg = cls;
                        }
                    }
                    int v = i + scanGrid.nx() * (j + scanGrid.ny() * k);
                    assertEquals(arg, l[v], "label of scan voxel " + i + ", " + j + ", " + k);
                    assertEquals((int) Math.rint(best), c[v] & 0xFF, "confidence of scan voxel " + i + ", " + j + ", " + k);
                    mixed++;
                    wonByTwo += arg == 2 ? 1 : 0;
                }
            }
        }
        assertTrue(mixed > 10_000, "scan voxels in cells of several labels: " + mixed);
        assertTrue(wonByTwo > 1_000, "scan voxels won on a tie by class 2, never a corner's label: " + wonByTwo);
    }

    private static int corner(Geometry g, int base, int n) {
        return base + (n & 1) + g.nx() * ((n >> 1) & 1) + g.nx() * g.ny() * ((n >> 2) & 1);
    }

    private static Volume volume(Geometry g, byte[] data) {
        Volume v = Volume.allocate(g, DataType.UINT8);
        System.arraycopy(data, 0, TestScans.bytes(v), 0, data.length);
        return v;
    }
}
