package org.triplane.segmentation.data;

import java.util.HashMap;
import java.util.Map;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/** Small phantom scans as the preprocess step leaves them, and volume helpers for tests. */
final class TestScans {
    static final Resampler RESAMPLER = new Resampler(2);
    /** 128×128×40 voxels of 1.8×1.8×3.5 mm: a whole head, quick to make. */
    static final double[] SMALL_SPACING = {1.8, 1.8, 3.5};

    private static final Map<String, PhantomSubject> SUBJECTS = new HashMap<>();
    private static final Map<String, ScanVolumes> SCANS = new HashMap<>();

    private TestScans() {
    }

    /** Phantom subject {@code number}: CT rotated through its pose and windowed (uint8), labels on the same grid. */
    static synchronized ScanVolumes phantom(int nx, int ny, int nz, double[] spacing, long seed, int number) {
        String key = key(nx, ny, nz, spacing, seed, number);
        return SCANS.computeIfAbsent(key, k -> {
            PhantomSubject subject = subject(nx, ny, nz, spacing, seed, number);
            Volume windowed = new WindowedRotation(RESAMPLER).apply(subject.ct(), subject.pose(), Window.STUDY);
            return new ScanVolumes("phantom-" + k, windowed, subject.labels());
        });
    }

    /** The generated subject (CT as acquired, pose, labels on the rotated grid). */
    static synchronized PhantomSubject subject(int nx, int ny, int nz, double[] spacing, long seed, int number) {
        return SUBJECTS.computeIfAbsent(key(nx, ny, nz, spacing, seed, number),
                k -> new PhantomGenerator(PhantomSpec.of(nx, ny, nz, spacing, seed), 2).generate(number));
    }

    private static String key(int nx, int ny, int nz, double[] spacing, long seed, int number) {
        return nx + "," + ny + "," + nz + "," + java.util.Arrays.toString(spacing) + "," + seed + "," + number;
    }

    static ScanVolumes small(int number) {
        return phantom(128, 128, 40, SMALL_SPACING, 7L, number);
    }

    static PhantomSubject smallSubject(int number) {
        return subject(128, 128, 40, SMALL_SPACING, 7L, number);
    }

    static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    /** The same voxels moved {@code shift} voxels along array axis i (toward larger i when positive), 0 brought in. */
    static Volume shiftAlongI(Volume v, int shift) {
        Geometry g = v.geometry();
        Volume out = Volume.allocate(g, DataType.UINT8);
        byte[] src = bytes(v);
        byte[] dst = bytes(out);
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    int from = i - shift;
                    if (from >= 0 && from < g.nx()) {
                        dst[v.index(i, j, k)] = src[v.index(from, j, k)];
                    }
                }
            }
        }
        return out;
    }

    /**
     * The same physical image stored with array axis i reversed and direction x cosine −1, as a
     * scan stored right-to-left would be: every voxel keeps its LPS position.
     */
    static Volume reverseI(Volume v) {
        Geometry g = v.geometry();
        double[] direction = g.direction();
        double[] origin = g.origin();
        for (int r = 0; r < 3; r++) {
            origin[r] += direction[r * 3] * g.spacing()[0] * (g.nx() - 1);
            direction[r * 3] = -direction[r * 3];
        }
        Geometry flipped = new Geometry(g.nx(), g.ny(), g.nz(), g.spacing(), origin, direction);
        Volume out = Volume.allocate(flipped, DataType.UINT8);
        byte[] src = bytes(v);
        byte[] dst = bytes(out);
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    dst[v.index(g.nx() - 1 - i, j, k)] = src[v.index(i, j, k)];
                }
            }
        }
        return out;
    }

    /** Midpoint of the mean LPS x of left (1..10) and of right (11..20) label voxels, mm. */
    static double labelMidlineXMm(Volume labels) {
        Geometry g = labels.geometry();
        byte[] lab = bytes(labels);
        double[] sum = new double[2];
        long[] count = new long[2];
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    int label = lab[labels.index(i, j, k)] & 0xFF;
                    if (label == 0) {
                        continue;
                    }
                    int side = label <= 10 ? 0 : 1;
                    sum[side] += g.indexToPhysical(i, j, k)[0];
                    count[side]++;
                }
            }
        }
        if (count[0] == 0 || count[1] == 0) {
            throw new IllegalStateException("labels lack one hemisphere");
        }
        return (sum[0] / count[0] + sum[1] / count[1]) / 2;
    }
}
