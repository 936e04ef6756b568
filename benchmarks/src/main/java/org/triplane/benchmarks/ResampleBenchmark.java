package org.triplane.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The resample step alone on a study-size scan (512×512×116 int16), the counterpart of the
 * {@code RESAMPLE_MS} that the ITK reference prints for {@code filter->Update()}.
 *
 * <p>Input: {@code -Dscan=ct.nii.gz -Dtransform=transform.txt} (the reference's
 * {@code make-test-case.py} output, so both programs see the same data); without them a synthetic
 * volume of the same size and a 10°/−6°/4° rotation about its centre.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ResampleBenchmark {
    @Param({"2"})
    public int threads;

    private Volume ct;
    private Volume labels;
    private AffineTransform transform;
    private Volume floatOut;
    private Resampler resampler;
    private WindowedRotation windowed;

    @Setup(Level.Trial)
    public void load() throws IOException {
        String scan = System.getProperty("scan");
        String tx = System.getProperty("transform");
        if (scan != null && tx != null) {
            ct = NiftiReader.read(Path.of(scan));
            transform = ItkTransformFile.read(Path.of(tx));
        } else {
            ct = synthetic();
            double[] c = ct.geometry().centre();
            transform = new AffineTransform(new EulerAngles(Math.toRadians(10), Math.toRadians(-6), Math.toRadians(4)).toMatrix(),
                    c, new double[] {3, -2, 4});
        }
        labels = Volume.allocate(ct.geometry(), DataType.UINT8);
        for (int i = 0; i < labels.voxels().length(); i++) {
            labels.voxels().set(i, (i / 4099) % 21);
        }
        floatOut = Volume.allocate(ct.geometry(), DataType.FLOAT32);
        resampler = new Resampler(threads);
        windowed = new WindowedRotation(resampler);
        System.out.println("input " + ct.geometry() + " " + ct.type().label() + ", threads " + threads);
    }

    private static Volume synthetic() {
        Geometry g = Geometry.axisAligned(512, 512, 116, new double[] {0.45, 0.45, 1.25}, new double[] {-115, -115, -72});
        Volume v = Volume.allocate(g, DataType.INT16);
        short[] d = ((VoxelBuffer.Int16) v.voxels()).data;
        for (int k = 0, i = 0; k < 116; k++) {
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++, i++) {
                    double r = Math.hypot((x - 256) / 200.0, Math.hypot((y - 256) / 230.0, (k - 58) / 50.0));
                    d[i] = (short) (r > 1 ? -1024 : r > 0.93 ? 900 : 30 + 10 * Math.sin(x * 0.1) * Math.cos(y * 0.07));
                }
            }
        }
        return v;
    }

    /**
     * Linear, float32 output, into a reused output volume: the resample step alone, what
     * {@code triplane rotate} and the reference's linear run compute.
     */
    @Benchmark
    public Volume linearFloat32() {
        resampler.resampleInto(ct, transform, Interpolation.LINEAR, -1024, floatOut);
        return floatOut;
    }

    /** The same with a new 120 MB output volume each time (allocation and garbage collection included). */
    @Benchmark
    public Volume linearFloat32Allocating() {
        return resampler.resample(ct, transform, Interpolation.LINEAR, -1024, DataType.FLOAT32);
    }

    /** Rotate + window straight to one byte per voxel (the preprocess step). */
    @Benchmark
    public Volume rotateAndWindow() {
        return windowed.apply(ct, transform, Window.STUDY);
    }

    /** Nearest neighbour on a uint8 label volume. */
    @Benchmark
    public Volume nearestLabels() {
        return resampler.resample(labels, transform, Interpolation.NEAREST, 0, DataType.UINT8);
    }
}
