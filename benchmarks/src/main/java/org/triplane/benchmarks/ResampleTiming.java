package org.triplane.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * Times the resample step the way the ITK reference times its {@code filter->Update()}: the same
 * input and transform, linear, default −1024, float32 output, repeated in one process, and prints
 * {@code RESAMPLE_MS min .. median .. threads ..} in the reference's format so that a script can
 * put both side by side. The first {@code warmup} runs (JIT compilation) are not counted.
 *
 * <p>Usage: {@code ResampleTiming CT.nii.gz T.txt THREADS REPEATS [WARMUP]}
 */
public final class ResampleTiming {
    private ResampleTiming() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: ResampleTiming CT.nii.gz T.txt THREADS REPEATS [WARMUP]");
            System.exit(2);
        }
        Volume ct = NiftiReader.read(Path.of(args[0]));
        AffineTransform t = ItkTransformFile.read(Path.of(args[1]));
        int threads = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Resampler resampler = new Resampler(threads);
        Volume out = Volume.allocate(ct.geometry(), DataType.FLOAT32);
        for (int i = 0; i < warmup; i++) {
            resampler.resampleInto(ct, t, Interpolation.LINEAR, -1024, out);
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            resampler.resampleInto(ct, t, Interpolation.LINEAR, -1024, out);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.print("resample time (ms):");
        for (double m : ms) {
            System.out.printf(" %.1f", m);
        }
        System.out.println();
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("RESAMPLE_MS min %.1f median %.1f threads %d%n", sorted[0], sorted[sorted.length / 2], threads);
    }
}
