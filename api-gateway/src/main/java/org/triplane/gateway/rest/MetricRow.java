package org.triplane.gateway.rest;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.triplane.db.results.ClassMetric;
import org.triplane.imaging.labels.LabelPalette;

/**
 * One row of {@code class_metrics} as the API shows it (JSON, or CSV with the same columns in this
 * order). Counts are voxels, ratios unitless, volumes millilitres; a metric that does not exist is
 * {@code null} (empty in CSV), as {@link org.triplane.imaging.metrics.ConfusionCounts} decides.
 *
 * @param scanId            the scan
 * @param modelSetId        the model set evaluated
 * @param plane             AXIAL, CORONAL, SAGITTAL, ATLAS (the atlas method) or FUSED
 * @param classLabel        0..20
 * @param region            e.g. {@code left M4}, {@code background} for 0
 * @param tp                true positives
 * @param fp                false positives
 * @param fn                false negatives
 * @param tn                true negatives
 * @param iou               TP / (TP + FP + FN); {@code null} when the class is absent from both
 * @param dice              2TP / (2TP + FP + FN); {@code null} when the class is absent from both
 * @param misclassification (FP + FN) / N; {@code null} when nothing was counted
 * @param fpFnRatio         FP / FN; {@code null} when FN = 0
 * @param referenceMl       reference volume
 * @param predictedMl       predicted volume
 */
public record MetricRow(UUID scanId, UUID modelSetId, String plane, int classLabel, String region, long tp, long fp,
                        long fn, long tn, Double iou, Double dice, Double misclassification, Double fpFnRatio,
                        double referenceMl, double predictedMl) {

    /** The CSV header line, without line end. */
    static final String CSV_HEADER = "scanId,modelSetId,plane,classLabel,region,tp,fp,fn,tn,iou,dice,misclassification,"
            + "fpFnRatio,referenceMl,predictedMl";

    static MetricRow of(ClassMetric m) {
        return new MetricRow(m.scanId(), m.modelSetId(), m.plane().name(), m.classLabel(), LabelPalette.name(m.classLabel()),
                m.tp(), m.fp(), m.fn(), m.tn(), m.iou(), m.dice(), m.misclassification(), m.fpFnRatio(), m.gtMl(),
                m.predMl());
    }

    /** @param rows rows @return RFC 4180 CSV with a header line, CRLF line ends */
    static String csv(List<MetricRow> rows) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
        for (MetricRow r : rows) {
            out.append(r.scanId).append(',').append(r.modelSetId).append(',').append(r.plane).append(',')
                    .append(r.classLabel).append(',').append(r.region).append(',').append(r.tp).append(',').append(r.fp)
                    .append(',').append(r.fn).append(',').append(r.tn).append(',').append(num(r.iou)).append(',')
                    .append(num(r.dice)).append(',').append(num(r.misclassification)).append(',').append(num(r.fpFnRatio))
                    .append(',').append(num(r.referenceMl)).append(',').append(num(r.predictedMl)).append("\r\n");
        }
        return out.toString();
    }

    // why: shortest text that reads back to the same double, independent of the default locale
    private static String num(Double v) {
        return v == null ? "" : String.valueOf(v.doubleValue()).toLowerCase(Locale.ROOT);
    }
}
