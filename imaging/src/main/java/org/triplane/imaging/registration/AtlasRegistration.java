package org.triplane.imaging.registration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * Affine registration of the shipped CT template (moving) to a head CT (fixed): the entry point
 * of this package.
 *
 * <p>Input: a CT in HU on any grid (any voxel type, int16 read directly; any spacing and direction
 * cosines; LPS mm). Output: a {@link RegistrationResult} whose {@code scanToAtlas} maps scan points
 * to atlas points, ITK's convention for resampling the atlas onto the scan grid
 * ({@code out(p) = atlas(T(p))}).
 *
 * <p>Method:
 * <ol>
 *   <li>Both images are clamped to an HU window ({@link IntensityWindow}) and block-averaged into a
 *       pyramid (coarsest first, e.g. 8, 4, 2 mm); the template is averaged to half each level's
 *       voxel size ({@link TemplatePyramid#factorFor}).</li>
 *   <li>Only the scan's largest body of tissue is kept ({@link HeadIsolation}): a table or other
 *       object apart from the head becomes air.</li>
 *   <li>Start: the scan's head centre of mass (HU above −500) onto the template's, the template's
 *       taken over the part of the head the scan's field of view holds.</li>
 *   <li>At the coarsest level, rotations on a grid (±20° about each axis by default) are scored by
 *       NCC; the best few are refined rigidly and the best kept.</li>
 *   <li>Rigid refinement at the middle levels (regular-step gradient ascent, {@link GradientAscent}),
 *       then affine (12 parameters, L-BFGS, {@link QuasiNewtonAscent}) at all but the coarsest, of
 *       NCC ({@link NccMetric}) over the scan voxels within 10 mm of the head.</li>
 *   <li>Checks: enough tissue for a head and not a trunk, contrast in the window, final NCC, head
 *       scale, determinant, overlap. A failed check throws {@link RegistrationException}.</li>
 * </ol>
 * Multi-threaded; results do not depend on the thread count.
 */
public final class AtlasRegistration {
    /** Air margin around the head that the metric still compares (mm). */
    private static final double MARGIN_MM = 10;
    /** Least share of the scan's head region that must lie within the fitted template's head (and margin). */
    private static final double MIN_HEAD_COVERAGE = 0.6;

    private final RegistrationSettings settings;

    public AtlasRegistration(RegistrationSettings settings) {
        this.settings = settings;
    }

    public RegistrationSettings settings() {
        return settings;
    }

    /**
     * Registers the template to {@code scan}.
     *
     * @param scan     CT in HU on any grid (geometry LPS mm, voxels x fastest); read, never changed
     * @param scanName name used in reports and errors (usually the file)
     * @throws RegistrationException when the volume is not a head CT the template fits, with the
     *                               quality figure and the reason
     */
    public RegistrationResult register(Volume scan, String scanName) throws RegistrationException {
        long start = System.nanoTime();
        int threads = settings.threads();
        IntensityWindow window = settings.window();
        double[] levels = settings.levelsMm();
        int count = levels.length;
        List<StageReport> stages = new ArrayList<>();

        long t = System.nanoTime();
        PyramidLevel[] pyramid = new PyramidLevel[count];
        pyramid[count - 1] = HeadIsolation.largestBody(Downsampler.fromHu(scan,
                Downsampler.factors(scan.geometry().spacing(), levels[count - 1]), window, threads), (float) window.low());
        for (int l = count - 2; l >= 0; l--) {
            pyramid[l] = Downsampler.coarser(pyramid[l + 1],
                    Downsampler.factors(pyramid[l + 1].geometry().spacing(), levels[l]), threads);
        }
        PyramidLevel[] template = new PyramidLevel[count];
        for (int l = 0; l < count; l++) {
            template[l] = TemplatePyramid.level(window, TemplatePyramid.factorFor(pyramid[l].geometry().spacing()), threads);
        }
        stages.add(new StageReport("pyramid", pyramid[count - 1].geometry().spacing(), 0, 0, Double.NaN, seconds(t)));

        double tissueMl = pyramid[count - 1].tissueMl();
        if (tissueMl < settings.minTissueMl()) {
            throw new RegistrationException(scanName, Double.NaN, String.format(Locale.ROOT,
                    "no head found: %.0f mL of tissue (HU above %.0f), a head CT shows at least %.0f mL",
                    tissueMl, Downsampler.TISSUE_HU, settings.minTissueMl()));
        }
        if (tissueMl > settings.maxTissueMl()) {
            throw new RegistrationException(scanName, Double.NaN, String.format(Locale.ROOT,
                    "not a head CT: %.0f mL of tissue (HU above %.0f) is more than a head (at most %.0f mL); "
                            + "a trunk, or a volume without air around the head (MR, not HU?)",
                    tissueMl, Downsampler.TISSUE_HU, settings.maxTissueMl()));
        }

        double[] scanCentre = centreOfMass(pyramid[count - 1].tissue(), null, null);
        double[] atlasCentre = atlasCentreInView(template[0].tissue(), scan.geometry(), scanCentre);

        // coarse: rotation search, then rigid refinement of the best candidates
        t = System.nanoTime();
        SampleSet coarse = SampleSet.of(pyramid[0], scanCentre, MARGIN_MM);
        NccMetric coarseMetric = new NccMetric(coarse, template[0].image(), (float) window.low(), threads);
        double[] radius = rms(coarse);
        double rigidRadius = Math.sqrt(radius[0] * radius[0] + radius[1] * radius[1] + radius[2] * radius[2]);
        List<double[]> scored = searchRotations(coarseMetric, atlasCentre);
        stages.add(new StageReport("rotation-search", pyramid[0].geometry().spacing(), coarse.size(), scored.size(),
                scored.isEmpty() ? Double.NaN : scored.get(0)[3], seconds(t)));
        if (scored.isEmpty() || Double.isNaN(scored.get(0)[3])) {
            throw new RegistrationException(scanName, Double.NaN,
                    "no contrast inside the HU window " + windowText(window) + " to compare with the template");
        }

        t = System.nanoTime();
        MapParameters.Rigid rigid = new MapParameters.Rigid(rigidRadius);
        AscentOutcome best = null;
        int iterations = 0;
        for (int c = 0; c < Math.min(settings.candidates(), scored.size()); c++) {
            double[] s = scored.get(c);
            double[] u = MapParameters.Rigid.of(new double[] {s[0], s[1], s[2]}, atlasCentre, rigidRadius);
            AscentOutcome o = GradientAscent.maximise(rigid, coarseMetric, u, levels[0] / 2, levels[0] / 40,
                    settings.maxIterations());
            iterations += o.iterations();
            if (best == null || o.value() > best.value()) {
                best = o;
            }
        }
        stages.add(new StageReport("rigid", pyramid[0].geometry().spacing(), coarse.size(), iterations, best.value(), seconds(t)));
        double[] m = rigid.matrix(best.parameters());
        double[] b = rigid.offset(best.parameters());
        double value = best.value();

        for (int l = 1; l < count; l++) {
            SampleSet samples = SampleSet.of(pyramid[l], scanCentre, MARGIN_MM)
                    .within(SampleSet.dilate(template[l].tissue(), MARGIN_MM), template[l].geometry(), m, b);
            NccMetric metric = new NccMetric(samples, template[l].image(), (float) window.low(), threads);
            double[] spacing = pyramid[l].geometry().spacing();
            double step = levels[l] / 2;
            double minStep = levels[l] / 40;
            if (l < count - 1) {
                t = System.nanoTime();
                double[] r = rms(samples);
                MapParameters.Rigid rg = new MapParameters.Rigid(Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]));
                EulerAngles e = EulerAngles.of(m);
                AscentOutcome o = GradientAscent.maximise(rg, metric,
                        MapParameters.Rigid.of(new double[] {e.x(), e.y(), e.z()}, b, rg.radiusMm()), step, minStep,
                        settings.maxIterations());
                m = rg.matrix(o.parameters());
                b = rg.offset(o.parameters());
                stages.add(new StageReport("rigid", spacing, samples.size(), o.iterations(), o.value(), seconds(t)));
            }
            t = System.nanoTime();
            MapParameters.Affine af = new MapParameters.Affine(rms(samples));
            AscentOutcome o = QuasiNewtonAscent.maximise(af, metric, MapParameters.Affine.of(m, b, af.columnScaleMm()),
                    step, minStep, settings.maxIterations());
            m = af.matrix(o.parameters());
            b = af.offset(o.parameters());
            value = o.value();
            stages.add(new StageReport("affine", spacing, samples.size(), o.iterations(), o.value(), seconds(t)));
        }
        // share of the scan's head region (voxels within the margin of tissue) that the fitted template's head covers
        SampleSet all = SampleSet.of(pyramid[count - 1], scanCentre, MARGIN_MM);
        double coverage = all.within(SampleSet.dilate(template[count - 1].tissue(), MARGIN_MM),
                template[count - 1].geometry(), m, b).size() / (double) Math.max(1, all.size());

        // scan → atlas: x = M·(p − c) + b, i.e. ITK centre c, translation b − c
        AffineTransform scanToAtlas = new AffineTransform(m, scanCentre,
                new double[] {b[0] - scanCentre[0], b[1] - scanCentre[1], b[2] - scanCentre[2]});
        double[] headCentre;
        try {
            headCentre = scanToAtlas.inverse().apply(Atlas.get().brainCentre());
        } catch (IllegalArgumentException e) {
            throw new RegistrationException(scanName, value, "the fitted map is singular");
        }
        RegistrationResult result = new RegistrationResult(scanName, scan.geometry(), scanToAtlas, headCentre, value,
                coverage, stages, seconds(start));
        check(result);
        return result;
    }

    private void check(RegistrationResult r) throws RegistrationException {
        double q = r.quality();
        if (Double.isNaN(q)) {
            throw new RegistrationException(r.scan(), q, "no contrast inside the HU window " + windowText(settings.window()));
        }
        double det = Matrix3.determinant(r.scanToAtlas().matrix());
        if (!(det > 0)) {
            throw new RegistrationException(r.scan(), q, String.format(Locale.ROOT,
                    "the fitted map mirrors or collapses the head (determinant %.3g)", det));
        }
        double[] scale = r.headScale();
        for (double s : scale) {
            if (!(s >= settings.minScale() && s <= settings.maxScale())) {
                throw new RegistrationException(r.scan(), q, String.format(Locale.ROOT,
                        "head scale %.2f/%.2f/%.2f of the template is outside %.2f..%.2f: not a head, or the fit failed",
                        scale[0], scale[1], scale[2], settings.minScale(), settings.maxScale()));
            }
        }
        if (!(r.headCoverage() >= MIN_HEAD_COVERAGE)) {
            throw new RegistrationException(r.scan(), q, String.format(Locale.ROOT,
                    "only %.0f%% of the scan's tissue region lies within the fitted template's head (need %.0f%%)",
                    100 * r.headCoverage(), 100 * MIN_HEAD_COVERAGE));
        }
        if (q < settings.minQuality()) {
            throw new RegistrationException(r.scan(), q, String.format(Locale.ROOT,
                    "below the acceptance threshold %.2f: the scan does not look like a head CT the template fits",
                    settings.minQuality()));
        }
    }

    /**
     * Rotations on the search grid, each scored by NCC with the head centres matched: rows
     * {@code (ax, ay, az, ncc)} (radians, {@code Rz·Ry·Rx}), best first; NaN scores last.
     */
    private List<double[]> searchRotations(NccMetric metric, double[] atlasCentre) {
        double range = Math.toRadians(settings.rotationSearchDeg());
        double step = Math.toRadians(settings.rotationStepDeg());
        int n = (int) Math.floor(range / step + 1e-9);
        List<double[]> out = new ArrayList<>();
        for (int i = -n; i <= n; i++) {
            for (int j = -n; j <= n; j++) {
                for (int k = -n; k <= n; k++) {
                    double[] r = new EulerAngles(i * step, j * step, k * step).toMatrix();
                    double v = metric.evaluate(r, atlasCentre, false).value();
                    out.add(new double[] {i * step, j * step, k * step, v});
                }
            }
        }
        out.sort(Comparator.comparingDouble((double[] a) -> Double.isNaN(a[3]) ? Double.NEGATIVE_INFINITY : -a[3]));
        return out;
    }

    /**
     * The template's head centre over the part of the head the scan's field of view holds: the
     * tissue centre of mass of template points that, moved by the current centre match, land
     * inside the scan grid; iterated from the whole head's centre.
     */
    static double[] atlasCentreInView(FloatGrid atlasTissue, Geometry scanGrid, double[] scanCentre) {
        double[] b = centreOfMass(atlasTissue, null, null);
        for (int it = 0; it < 4; it++) {
            double[] shift = {scanCentre[0] - b[0], scanCentre[1] - b[1], scanCentre[2] - b[2]};
            double[] next = centreOfMass(atlasTissue, scanGrid, shift);
            if (next == null) {
                break;
            }
            b = next;
        }
        return b;
    }

    /**
     * Tissue-weighted centre of mass (LPS mm); with {@code view}, only of points {@code p} whose
     * {@code p + shift} lies inside {@code view}'s grid. Null when no tissue counts.
     */
    static double[] centreOfMass(FloatGrid tissue, Geometry view, double[] shift) {
        Geometry g = tissue.geometry();
        float[] w = tissue.values();
        double[] m = g.indexToPhysicalMatrix();
        double[] o = g.origin();
        double[] toView = view == null ? null : view.physicalToIndexMatrix();
        double[] vo = view == null ? null : view.origin();
        double sx = 0, sy = 0, sz = 0, sw = 0;
        int idx = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, idx++) {
                    float v = w[idx];
                    if (v <= 0) {
                        continue;
                    }
                    double x = o[0] + m[0] * i + m[1] * j + m[2] * k;
                    double y = o[1] + m[3] * i + m[4] * j + m[5] * k;
                    double z = o[2] + m[6] * i + m[7] * j + m[8] * k;
                    if (view != null) {
                        double dx = x + shift[0] - vo[0];
                        double dy = y + shift[1] - vo[1];
                        double dz = z + shift[2] - vo[2];
                        double ci = toView[0] * dx + toView[1] * dy + toView[2] * dz;
                        double cj = toView[3] * dx + toView[4] * dy + toView[5] * dz;
                        double ck = toView[6] * dx + toView[7] * dy + toView[8] * dz;
                        if (ci < -0.5 || cj < -0.5 || ck < -0.5
                                || ci > view.nx() - 0.5 || cj > view.ny() - 0.5 || ck > view.nz() - 0.5) {
                            continue;
                        }
                    }
                    sx += v * x;
                    sy += v * y;
                    sz += v * z;
                    sw += v;
                }
            }
        }
        return sw == 0 ? null : new double[] {sx / sw, sy / sw, sz / sw};
    }

    /** RMS of each coordinate of the samples' offsets (mm), at least 1. */
    private static double[] rms(SampleSet s) {
        double x = 0, y = 0, z = 0;
        int n = s.size();
        for (int i = 0; i < n; i++) {
            x += s.qx()[i] * (double) s.qx()[i];
            y += s.qy()[i] * (double) s.qy()[i];
            z += s.qz()[i] * (double) s.qz()[i];
        }
        n = Math.max(1, n);
        return new double[] {Math.max(1, Math.sqrt(x / n)), Math.max(1, Math.sqrt(y / n)), Math.max(1, Math.sqrt(z / n))};
    }

    private static String windowText(IntensityWindow w) {
        return String.format(Locale.ROOT, "[%.0f, %.0f] HU", w.low(), w.high());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
