package org.triplane.gateway.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import org.triplane.db.jobs.Job;
import org.triplane.db.models.ModelSet;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.MetricPlane;
import org.triplane.imaging.metrics.ConfusionCounts;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.RegionStatisticsDocument;

/**
 * What a job's report shows, gathered from the database: the job, one section per scan (region
 * statistics as the fusion-worker recorded them) and, when the job had reference labels, the
 * evaluation: per class and prediction the mean of each metric over the scans that have it, and
 * the fused confusion matrices summed over the scans.
 *
 * @param job           the job (SUCCEEDED)
 * @param modelSetName  its model set's name, or {@code null}
 * @param foldSets      a k-fold train job's model sets, fold 1..k (it names no single set); empty otherwise
 * @param scans         sections shown, at most {@link #MAX_SCAN_SECTIONS}
 * @param totalScans    scans with a result
 * @param evaluation    the evaluation, or {@code null} when no scan had reference labels
 */
public record ReportModel(Job job, String modelSetName, List<ModelSet> foldSets, List<ScanSection> scans, int totalScans,
                          Evaluation evaluation) {

    /** Scans shown with their region tables and overlay images; a larger job's report names the rest. */
    public static final int MAX_SCAN_SECTIONS = 10;

    /**
     * @param scanId           the scan
     * @param ctSha256         SHA-256 of its CT object
     * @param fusionMethod     majority or confidence
     * @param regionStatistics the region statistics the fusion-worker recorded
     * @param transformOrigin  {@code uploaded} or {@code derived} (from the atlas registration), or {@code null}
     * @param registrationMethod  how the atlas was registered (e.g. {@code atlas-affine-ncc}), or {@code null}
     * @param registrationQuality its quality (NCC inside the head, −1..1), or {@code null}
     */
    public record ScanSection(UUID scanId, String ctSha256, String fusionMethod, RegionStatisticsDocument regionStatistics,
                              String transformOrigin, String registrationMethod, Double registrationQuality) {
    }

    /**
     * @param scans     scans with metrics
     * @param classes   labels 0..20 in order
     * @param confusion the fused 21×21 confusion matrices summed over the scans (rows reference,
     *                  columns prediction, voxels), or {@code null} when no result recorded one
     */
    public record Evaluation(int scans, List<ClassRow> classes, long[][] confusion) {
    }

    /** @param label class 0..20 @param byPlane means per prediction that has rows for the class */
    public record ClassRow(int label, Map<MetricPlane, Means> byPlane) {
    }

    /**
     * Means over scans of each metric, from each scan's counts by {@link ConfusionCounts}: each over the
     * scans where it exists, {@code null} where it exists in none (unitless; volumes ml).
     *
     * @param iou               IoU, or {@code null}
     * @param dice              Dice, or {@code null}
     * @param fpFnRatio         FP / FN, or {@code null}
     * @param misclassification (FP + FN) / N
     * @param referenceMl       reference volume, ml
     * @param predictedMl       predicted volume, ml
     * @param scans             scans with a row
     */
    public record Means(Double iou, Double dice, Double fpFnRatio, Double misclassification, Double referenceMl,
                        Double predictedMl, int scans) {
    }

    /**
     * @param metrics    every class-metric row of the job
     * @param confusions fused confusion matrices of the scans that recorded one
     * @return the evaluation, or {@code null} without metric rows
     */
    public static Evaluation evaluation(List<ClassMetric> metrics, List<ConfusionMatrix> confusions) {
        if (metrics.isEmpty()) {
            return null;
        }
        List<ClassRow> rows = new ArrayList<>();
        for (int label = 0; label <= ClassMetric.MAX_CLASS; label++) {
            Map<MetricPlane, Means> byPlane = new EnumMap<>(MetricPlane.class);
            for (MetricPlane plane : MetricPlane.values()) {
                int l = label;
                List<ClassMetric> of = metrics.stream().filter(m -> m.plane() == plane && m.classLabel() == l).toList();
                if (!of.isEmpty()) {
                    List<ConfusionCounts> counts = of.stream().map(m -> new ConfusionCounts(m.tp(), m.fp(), m.fn(), m.tn()))
                            .toList();
                    byPlane.put(plane, new Means(mean(counts, ConfusionCounts::iou), mean(counts, ConfusionCounts::dice),
                            mean(counts, ConfusionCounts::fpFnRatio), mean(counts, ConfusionCounts::misclassificationRate),
                            of.stream().mapToDouble(ClassMetric::gtMl).average().orElseThrow(),
                            of.stream().mapToDouble(ClassMetric::predMl).average().orElseThrow(), of.size()));
                }
            }
            rows.add(new ClassRow(label, byPlane));
        }
        int scans = (int) metrics.stream().map(ClassMetric::scanId).distinct().count();
        return new Evaluation(scans, List.copyOf(rows), sum(confusions));
    }

    /** The mean over the scans that have the metric, {@code null} when none has (imaging's convention). */
    private static Double mean(List<ConfusionCounts> scans, ToDoubleFunction<ConfusionCounts> metric) {
        return ConfusionCounts.orNull(ConfusionCounts.mean(scans, metric));
    }

    private static long[][] sum(List<ConfusionMatrix> confusions) {
        if (confusions.isEmpty()) {
            return null;
        }
        ConfusionMatrix total = new ConfusionMatrix();
        confusions.forEach(total::add);
        return total.toArray();
    }
}
