package org.triplane.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.metrics.RegionHuStatistics;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.plane.PlaneLayout;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * The imaging half of the pipeline on a synthetic dataset in the study's layout: generate scans,
 * then per scan rotate + window to one byte per voxel, cut the three planes, and check that the
 * rotated anatomy lines up with the labels: each region's mean HU is compared with the same
 * region's mean HU in the atlas the scans were built from (after removing the scan's overall
 * offset), once for the scan rotated through its transform and once for the scan as acquired.
 */
final class ImagingDemo {
    private static final int UNET_DEPTH = 5;

    record ScanReport(int number, double[] eulerDegrees, double misfitRotatedHu, double misfitAsAcquiredHu,
                      String windowedFile, List<String> planeShapes, RegionHuStatistics regions) {
    }

    record Result(Path directory, List<PhantomDataset.SubjectFiles> files, List<ScanReport> scans, double seconds) {
    }

    private final PrintStream progress;
    private final int threads;

    ImagingDemo(PrintStream progress, int threads) {
        this.progress = progress;
        this.threads = threads;
    }

    Result run(PhantomSpec spec, int count, Path dir) throws IOException {
        long t0 = System.nanoTime();
        progress.printf("[1/4] generating %d synthetic scans %d×%d×%d into %s%n", count, spec.nx(), spec.ny(), spec.nz(), dir);
        PhantomDataset.Result data = PhantomDataset.write(spec, dir, count, (done, total, s) ->
                progress.printf("      %s %d/%d  %s %s %s  (%.0f s)%n", bar(done, total), done, total, s.ctFile(), s.transformFile(),
                        s.segFile(), seconds(t0)));
        progress.printf("[2/4] preprocessing: rotate through N.txt, window [%.0f, %.0f] HU to one byte, cut planes%n",
                Window.STUDY.low(), Window.STUDY.high());
        Resampler resampler = new Resampler(threads);
        RegionHuStatistics atlas = RegionHuStatistics.of(Atlas.get().ct(), Atlas.get().labels());
        List<ScanReport> reports = new ArrayList<>();
        int done = 0;
        for (PhantomDataset.SubjectFiles s : data.subjects()) {
            reports.add(preprocess(dir, s, resampler, atlas));
            done++;
            progress.printf("      %s %d/%d  scan %d  (%.0f s)%n", bar(done, count), done, count, s.number(), seconds(t0));
        }
        progress.printf("[3/4] alignment check done in %.0f s%n", seconds(t0));
        return new Result(dir, data.subjects(), reports, seconds(t0));
    }

    private ScanReport preprocess(Path dir, PhantomDataset.SubjectFiles s, Resampler resampler, RegionHuStatistics atlas)
            throws IOException {
        Volume ct = NiftiReader.read(dir.resolve(s.ctFile()));
        AffineTransform t = ItkTransformFile.read(dir.resolve(s.transformFile()));
        Volume labels = NiftiReader.read(dir.resolve(s.segFile()));
        Volume windowed = new WindowedRotation(resampler).apply(ct, t, Window.STUDY);
        Path out = dir.resolve("preprocessed").resolve(s.number() + "-windowed.nii.gz");
        NiftiWriter.write(windowed, out);
        List<String> shapes = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            PlaneLayout l = PlaneSlicer.slice(windowed, plane, UNET_DEPTH, (byte) 0).layout();
            shapes.add(plane.name().toLowerCase(java.util.Locale.ROOT) + " " + l.slices() + "×" + l.paddedHeight() + "×" + l.paddedWidth());
        }
        Volume rotated = resampler.resample(ct, t, Interpolation.LINEAR, Window.AIR_HU, DataType.FLOAT32);
        double e0 = s.eulerAngles().xDegrees();
        double e1 = s.eulerAngles().yDegrees();
        double e2 = s.eulerAngles().zDegrees();
        RegionHuStatistics aligned = RegionHuStatistics.of(rotated, labels);
        return new ScanReport(s.number(), new double[] {e0, e1, e2}, misfit(aligned, atlas),
                misfit(RegionHuStatistics.of(ct, labels), atlas), dir.relativize(out).toString(), shapes, aligned);
    }

    /**
     * Mean absolute difference (HU) between a scan's regional mean HU and the atlas's, over regions
     * 1..20, after subtracting the median difference (the scan's overall HU offset).
     */
    static double misfit(RegionHuStatistics scan, RegionHuStatistics atlas) {
        double[] d = new double[AspectsRegion.COUNT];
        for (int l = 1; l <= AspectsRegion.COUNT; l++) {
            d[l - 1] = scan.means()[l] - atlas.means()[l];
        }
        double[] sorted = d.clone();
        java.util.Arrays.sort(sorted);
        double offset = (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double sum = 0;
        for (double v : d) {
            sum += Math.abs(v - offset);
        }
        return sum / d.length;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String bar(int done, int total) {
        int width = 20;
        int filled = total == 0 ? width : done * width / total;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
