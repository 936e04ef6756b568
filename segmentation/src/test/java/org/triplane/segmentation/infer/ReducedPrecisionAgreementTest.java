package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.data.PlaneSamples;
import org.triplane.segmentation.data.SampleBuilder;
import org.triplane.segmentation.data.SampleOptions;
import org.triplane.segmentation.data.ScanVolumes;
import org.triplane.segmentation.model.ModelFiles;
import org.triplane.segmentation.model.UNetConfig;

/**
 * Reduced-precision inference against float32 with the trained model set that ships in the
 * repository, on a fixed set of slices: every slice of the three planes of one phantom scan (seed
 * 5201, never used in training), registered to the atlas affinely and deformably as the
 * preprocess-worker does, so that the 26 atlas input channels are those a real task gets.
 */
class ReducedPrecisionAgreementTest {
    private static final Resampler RESAMPLER = new Resampler(2);
    private static final double REQUIRED = 0.999;
    private static ScanVolumes scan;

    @BeforeAll
    static void registeredPhantom() throws Exception {
        PhantomSubject s = new PhantomGenerator(PhantomSpec.of(160, 160, 48, new double[] {1.4, 1.4, 3.0}, 5201L), 2)
                .generate(1);
        RegistrationResult r = new AtlasRegistration(RegistrationSettings.defaults()).register(s.ct(), "phantom 5201/1");
        // why compose: the windowed scan lies on the rotated grid, whose point p shows the acquired point pose(p)
        AffineTransform toAtlas = r.scanToAtlas().compose(s.pose());
        scan = ScanVolumes.unlabelled("phantom-5201-1", new WindowedRotation(RESAMPLER).apply(s.ct(), s.pose(), Window.STUDY))
                .withToAtlas(toAtlas)
                .withAtlasWarp(new DeformableRegistration(DeformableRegistration.Settings.defaults(2)).refine(s.ct(), r)
                        .warp().field());
    }

    @Test
    void float16LabelsAgreeWithFloat32() throws IOException {
        double agreement = agreement(Precision.FLOAT16);
        assertTrue(agreement >= REQUIRED, "float16 labels agree with float32 on " + percent(agreement));
        // why: a few pixels whose two best classes are within float16's rounding do change; none changing would
        // mean the network did not run in float16 at all
        assertTrue(agreement < 1, "float16 labels are float32's everywhere: the float16 path did not run");
    }

    /** Share of pixels, over the three planes' slices, whose label is the same as float32's. */
    private static double agreement(Precision precision) throws IOException {
        long same = 0;
        long pixels = 0;
        for (Plane plane : List.of(Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL)) {
            String name = plane.name().toLowerCase(Locale.ROOT);
            Path weights = ShippedModels.weights(name);
            UNetConfig config = ModelFiles.readConfig(weights);
            ModelGrid grid = ShippedModels.grid(name);
            PlaneSamples slices = new SampleBuilder(grid, RESAMPLER).build(List.of(scan), plane,
                    SampleOptions.inference(config.depth(), config.inputs()));
            byte[] reference;
            byte[] reduced;
            try (PlanePredictor p = new PlanePredictor(config, weights, Device.cpu())) {
                reference = p.predict(slices, 8).labels();
            }
            try (PlanePredictor p = new PlanePredictor(config, weights, Device.cpu(), precision)) {
                PlanePrediction out = p.predict(slices, 8);
                assertEquals(precision.wireName(), out.stats().precision());
                reduced = out.labels();
            }
            long planeSame = 0;
            for (int i = 0; i < reference.length; i++) {
                planeSame += reference[i] == reduced[i] ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "%s %s: %d slices of %d×%d, labels agree on %d of %d pixels (%s)%n",
                    precision.wireName(), name, slices.count(), slices.height(), slices.width(), planeSame, reference.length,
                    percent((double) planeSame / reference.length));
            same += planeSame;
            pixels += reference.length;
        }
        return (double) same / pixels;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.4f %%", 100 * share);
    }
}
