package org.triplane.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.RegistrationException;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triplane rotate}: resample a volume through an ITK transform onto its own grid; without
 * {@code --transform} the transform is derived by registering the atlas to IN (a head CT in HU),
 * as the preprocess-worker does for a scan uploaded without {@code N.txt}.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Resample IN through an ITK transform onto IN's own grid (out(p) = in(T(p)), as ITK's "
                + "ResampleImageFilter and ITK-SNAP do). Writes float32 for linear, IN's type for --nearest. "
                + "Without --transform, IN must be a head CT (HU): the atlas is registered to it and its standard "
                + "orientation is used (the rotation the preprocess-worker derives for a scan without N.txt); that "
                + "transform is written beside OUT as OUT's name with .txt for .nii(.gz), and the JSON on standard "
                + "output says so (transformOrigin derived, the file, the registration quality).")
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
        Volume input = NiftiReader.read(in);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", out.toString());
        AffineTransform t;
        if (transformOptions.transform != null) {
            t = transformOptions.load(true);
            m.put("transformOrigin", "uploaded");
        } else {
            if (transformOptions.inverse) {
                throw new IllegalArgumentException("--inverse needs --transform T.txt");
            }
            RegistrationResult r;
            try {
                r = new AtlasRegistration(RegistrationSettings.builder().setThreads(threads.threads()).build())
                        .register(input, in.toString());
            } catch (RegistrationException e) {
                System.err.println("triplane: " + e.getMessage() + "; give the rotation with --transform T.txt");
                return 1;
            }
            t = r.standardOrientation();
            Path written = derivedTransformFile(out);
            ItkTransformFile.write(t, written);
            m.put("transformOrigin", "derived");
            m.put("transform", written.toString());
            m.put("registrationQuality", Math.round(r.quality() * 1e4) / 1e4);
            m.put("registrationSeconds", Math.round(r.seconds() * 1000) / 1000.0);
        }
        long start = System.nanoTime();
        Interpolation interp = nearest ? Interpolation.NEAREST : Interpolation.LINEAR;
        DataType outType = nearest ? input.type() : DataType.FLOAT32;
        Volume result = new Resampler(threads.threads()).resample(input, t, interp, defaultValue, outType);
        double seconds = (System.nanoTime() - start) / 1e9;
        NiftiWriter.write(result, out);
        m.put("interpolation", interp.name().toLowerCase(java.util.Locale.ROOT));
        m.put("datatype", outType.label());
        m.put("resampleSeconds", Math.round(seconds * 1000) / 1000.0);
        System.out.println(Json.render(m));
        return 0;
    }

    /** {@code OUT} with {@code .nii.gz} or {@code .nii} replaced by {@code .txt}, beside it (the study's N.nii.gz / N.txt pairing). */
    static Path derivedTransformFile(Path out) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".nii.gz") ? name.substring(0, name.length() - 7)
                : name.endsWith(".nii") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + ".txt");
    }
}
