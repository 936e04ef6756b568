package org.triplane.imaging.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.Volume;

/** The metric's analytic gradient against central differences, and its value at a perfect match. */
class NccMetricTest {
    private static final IntensityWindow WINDOW = new IntensityWindow(-100, 200);

    @Test
    void gradientMatchesCentralDifferences() {
        Volume ct = new PhantomGenerator(PhantomSpec.of(64, 64, 24, new double[] {3.6, 3.6, 6.6}, 77L), 2).generate(1).ct();
        PyramidLevel level = Downsampler.fromHu(ct, new int[] {1, 1, 1}, WINDOW, 2);
        double[] centre = AtlasRegistration.centreOfMass(level.tissue(), null, null);
        SampleSet samples = SampleSet.of(level, centre, 10);
        PyramidLevel template = TemplatePyramid.level(WINDOW, 2, 2);
        NccMetric metric = new NccMetric(samples, template.image(), (float) WINDOW.low(), 2);
        // an arbitrary map near the optimum: small rotation and shear, a few mm off
        double[] m = new EulerAngles(0.05, -0.08, 0.04).toMatrix();
        m[1] += 0.03;
        m[5] -= 0.02;
        double[] b = AtlasRegistration.centreOfMass(template.tissue(), null, null);
        b[0] += 2.3;
        b[2] -= 1.7;
        double[] g = metric.evaluate(m, b, true).gradient();
        double norm = 0;
        double[] numeric = new double[12];
        for (int p = 0; p < 12; p++) {
            // why: tiny steps, so that few samples cross a trilinear cell boundary (a kink) inside the difference
            double h = p < 9 ? 1e-6 : 1e-4;
            double[] mh = m.clone();
            double[] ml = m.clone();
            double[] bh = b.clone();
            double[] bl = b.clone();
            if (p < 9) {
                mh[p] += h;
                ml[p] -= h;
            } else {
                bh[p - 9] += h;
                bl[p - 9] -= h;
            }
            numeric[p] = (metric.evaluate(mh, bh, false).value() - metric.evaluate(ml, bl, false).value()) / (2 * h);
        }
        for (int p = 0; p < 12; p++) {
            // matrix entries move samples by |q| ≈ 70 mm per unit, translations by 1 mm: compare per mm of motion
            double scale = p < 9 ? 70 : 1;
            norm = Math.max(norm, Math.abs(numeric[p]) / scale);
        }
        assertTrue(norm > 0, "the metric must respond to the map");
        for (int p = 0; p < 12; p++) {
            double scale = p < 9 ? 70 : 1;
            assertEquals(numeric[p] / scale, g[p] / scale, 0.002 * norm, "parameter " + p);
        }
    }

    @Test
    void theTemplateAgainstItselfScoresOne() {
        PyramidLevel template = TemplatePyramid.level(WINDOW, 4, 2);
        double[] centre = AtlasRegistration.centreOfMass(template.tissue(), null, null);
        SampleSet samples = SampleSet.of(template, centre, 10);
        NccMetric metric = new NccMetric(samples, template.image(), (float) WINDOW.low(), 2);
        // samples at the template's own voxel centres read the template's own values, except those in the
        // last plane of each axis, which count as outside (air): a few millionths off 1
        assertEquals(1.0, metric.evaluate(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, centre, false).value(), 1e-5);
        assertTrue(metric.evaluate(new EulerAngles(0, 0, 0.2).toMatrix(), centre, false).value() < 0.95);
    }
}
