package org.triplane.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane rotate}: resample a volume through an ITK transform onto its own grid. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Resample IN through an ITK transform onto IN's own grid (out(p) = in(T(p)), as ITK's "
                + "ResampleImageFilter and ITK-SNAP do). Writes float32 for linear, IN's type for --nearest.")
final class RotateCommand implements Callable<Integer> {
    @Mixin
    TransformOptions transformOptions;

    @Option(names = "--nearest", description = "nearest-neighbour interpolation (labels)")
    boolean nearest;

    @Option(names = "--default", paramLabel = "V", description = "value outside the input (default: 0)")
    double defaultValue;

    @Mixin
    ThreadsOption threads;

    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Override
    public Integer call() throws Exception {
        AffineTransform t = transformOptions.load(true);
        Volume input = NiftiReader.read(in);
        long start = System.nanoTime();
        Interpolation interp = nearest ? Interpolation.NEAREST : Interpolation.LINEAR;
        DataType outType = nearest ? input.type() : DataType.FLOAT32;
        Volume result = new Resampler(threads.threads()).resample(input, t, interp, defaultValue, outType);
        double seconds = (System.nanoTime() - start) / 1e9;
        NiftiWriter.write(result, out);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", out.toString());
        m.put("interpolation", interp.name().toLowerCase(java.util.Locale.ROOT));
        m.put("datatype", outType.label());
        m.put("resampleSeconds", Math.round(seconds * 1000) / 1000.0);
        System.out.println(Json.render(m));
        return 0;
    }
}
