package org.triplane.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.registration.AtlasLabels;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.RegistrationException;
import org.triplane.imaging.registration.RegistrationFiles;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.registration.StageReport;
import org.triplane.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code triplane register}: affine registration of the shipped CT template to a scan. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register the shipped CT template (atlas) to SCAN (a head CT in HU, any grid): rigid then affine, "
                + "multi-resolution, normalised correlation of windowed HU. Writes into OUTDIR: "
                + RegistrationFiles.ATLAS_LABELS + " (atlas labels on SCAN's grid, uint8), "
                + RegistrationFiles.ATLAS_TO_SCAN + " (maps SCAN points to atlas points: resamples the atlas into scan space), "
                + RegistrationFiles.SCAN_TO_ATLAS + " (its inverse: resamples the scan into atlas space), "
                + RegistrationFiles.STANDARD_ORIENTATION + " (rotation that resamples SCAN onto its own grid in the atlas's "
                + "orientation, as the study's N.txt) and " + RegistrationFiles.REPORT + ".",
            "A volume that is not a head CT the template fits is refused (exit 1) with its quality figure and the reason."})
final class RegisterCommand implements Callable<Integer> {
    @Mixin
    ThreadsOption threads;

    @Parameters(index = "0", paramLabel = "SCAN", description = "CT in HU (.nii or .nii.gz)")
    Path scan;

    @Parameters(index = "1", paramLabel = "OUTDIR", description = "output folder (created if missing)")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        int n = threads.threads();
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException(outDir + ": exists and is not a folder");
        }
        Volume ct = NiftiReader.read(scan);
        double readSeconds = (System.nanoTime() - start) / 1e9;
        RegistrationResult result;
        try {
            result = new AtlasRegistration(RegistrationSettings.builder().setThreads(n).build()).register(ct, scan.toString());
        } catch (RegistrationException e) {
            System.err.println("triplane: " + e.getMessage());
            return 1;
        }
        Files.createDirectories(outDir);
        long w = System.nanoTime();
        Volume labels = AtlasLabels.onScanGrid(result, n);
        NiftiWriter.write(labels, outDir.resolve(RegistrationFiles.ATLAS_LABELS));
        RegistrationFiles.writeTransforms(result, outDir);
        double writeSeconds = (System.nanoTime() - w) / 1e9;
        Map<String, Object> report = report(result, readSeconds, writeSeconds, (System.nanoTime() - start) / 1e9);
        String json = Json.render(report);
        Files.writeString(outDir.resolve(RegistrationFiles.REPORT), json + "\n");
        System.out.println(json);
        return 0;
    }

    static Map<String, Object> report(RegistrationResult r, double readSeconds, double writeSeconds, double totalSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scan", r.scan());
        m.put("quality", round(r.quality(), 5));
        m.put("qualityMetric", "normalised cross-correlation of windowed HU inside the head");
        m.put("headScale", roundAll(r.headScale(), 4));
        m.put(RegistrationFiles.ATLAS_TO_SCAN, transform(r.scanToAtlas(), "maps scan points to atlas points (LPS mm): resamples the atlas into scan space"));
        m.put(RegistrationFiles.SCAN_TO_ATLAS, transform(r.atlasToScan(), "maps atlas points to scan points: resamples the scan into atlas space"));
        Map<String, Object> std = transform(r.standardOrientation(), "rotation only: resamples the scan onto its own grid in the atlas orientation");
        EulerAngles e = EulerAngles.of(r.standardOrientation().matrix());
        std.put("eulerDegreesZYX", new double[] {round(e.xDegrees(), 3), round(e.yDegrees(), 3), round(e.zDegrees(), 3)});
        m.put(RegistrationFiles.STANDARD_ORIENTATION, std);
        m.put("rigidPart", transform(r.rigidPart(), "rotation and translation of the fit (maps scan points to atlas points), "
                + "without head size and shear; exact at the head centre"));
        m.put("headCentre", roundAll(r.headCentre(), 3));
        List<Object> stages = new ArrayList<>();
        for (StageReport s : r.stages()) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("stage", s.name());
            st.put("spacingMm", roundAll(s.spacingMm(), 3));
            st.put("samples", s.samples());
            st.put("iterations", s.iterations());
            st.put("ncc", round(s.ncc(), 5));
            st.put("seconds", round(s.seconds(), 3));
            stages.add(st);
        }
        m.put("stages", stages);
        m.put("iterations", r.iterations());
        m.put("registrationSeconds", round(r.seconds(), 3));
        m.put("readSeconds", round(readSeconds, 3));
        m.put("writeSeconds", round(writeSeconds, 3));
        m.put("totalSeconds", round(totalSeconds, 3));
        return m;
    }

    private static Map<String, Object> transform(AffineTransform t, String meaning) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meaning", meaning);
        m.put("matrix", t.matrix());
        m.put("centre", t.center());
        m.put("translation", t.translation());
        return m;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Double.isFinite(v) ? Math.round(v * f) / f : v;
    }

    private static double[] roundAll(double[] v, int digits) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = round(v[i], digits);
        }
        return out;
    }
}
