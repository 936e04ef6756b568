package org.triplane.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triplane window}: rotate (optionally) and window a CT to one byte per voxel in one pass. */
@Command(name = "window", mixinStandardHelpOptions = true,
        description = "Rotate a CT through its ITK transform (if given) and window it to one byte per voxel "
                + "(uint8 NIfTI on IN's grid): HU in [low, high] -> round(HU - low), outside -> 0; "
                + "voxels from outside the field of view are air (-1024 HU).")
final class WindowCommand implements Callable<Integer> {
    @Mixin
    TransformOptions transformOptions;

    @Option(names = "--low", paramLabel = "HU", description = "lowest HU kept (default: ${DEFAULT-VALUE})")
    double low = Window.STUDY.low();

    @Option(names = "--high", paramLabel = "HU", description = "highest HU kept (default: ${DEFAULT-VALUE})")
    double high = Window.STUDY.high();

    @Option(names = "--clamp-high", description = "map HU above the window to the top byte instead of 0")
    boolean clampHigh;

    @Mixin
    ThreadsOption threads;

    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Override
    public Integer call() throws Exception {
        Window window = new Window(low, high, clampHigh);
        AffineTransform t = transformOptions.load(false);
        Volume ct = NiftiReader.read(in);
        Volume bytes = new WindowedRotation(new Resampler(threads.threads())).apply(ct, t, window);
        NiftiWriter.write(bytes, out);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", out.toString());
        m.put("window", new double[] {window.low(), window.high()});
        m.put("datatype", "uint8");
        System.out.println(Json.render(m));
        return 0;
    }
}
