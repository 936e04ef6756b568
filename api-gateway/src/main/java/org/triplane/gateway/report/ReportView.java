package org.triplane.gateway.report;

import java.util.List;

/**
 * What the report template ({@code templates/ReportPage/report.html}) lays out, every value
 * already in words and formatted numbers (the template only places and escapes them).
 *
 * @param jobId       the job
 * @param assets      the page's scripts and styles, linked or inside the page
 * @param facts       the job's facts in the header
 * @param legend      labels 1..20 with their names
 * @param evaluation  against the reference labels, or {@code null} when the job's scans had none
 * @param scans       one section per scan shown
 * @param hiddenScans scans with a result that are not shown (0 when all are)
 * @param data        the charts' JSON, safe inside a {@code <script>} element
 */
public record ReportView(String jobId, PageAssets assets, List<Fact> facts, List<LegendEntry> legend, EvaluationView evaluation,
                  List<ScanView> scans, int hiddenScans, String data) {

    /** @param term what @param value its value */
    public record Fact(String term, String value) {
    }

    /** @param label 1..20 @param name e.g. {@code left C} */
    public record LegendEntry(int label, String name) {
    }

    /**
     * @param scans     scans with metrics
     * @param charts    the bar charts, drawn by the page's script
     * @param rows      labels 0..20
     * @param confusion whether the heat map of the confusion matrix is drawn
     */
    public record EvaluationView(int scans, List<Chart> charts, List<MetricLine> rows, boolean confusion) {
    }

    /** @param id the canvas id @param caption what it shows */
    public record Chart(String id, String caption) {
    }

    /**
     * @param label    0..20
     * @param swatch   whether it has a colour (not the background)
     * @param name     the region
     * @param fused    the fused prediction's IoU, Dice, FP/FN, misclassification, reference ml, predicted ml
     * @param planeIou IoU of axial, coronal, sagittal and the atlas method
     */
    public record MetricLine(int label, boolean swatch, String name, List<String> fused, List<String> planeIou) {
    }

    /**
     * @param scanId        the scan
     * @param ctSha256      its CT's SHA-256
     * @param fusionMethod  the vote
     * @param alignment     how it was rotated ({@link ReportPage#alignment})
     * @param grid          the grid the regions were measured on
     * @param regions       per region
     * @param differenceLimitHu the HU difference limit of the left/right comparison
     * @param ratioLimit    its ratio limit
     * @param pairs         left against right per region
     * @param overlays      the overlay images
     */
    public record ScanView(String scanId, String ctSha256, String fusionMethod, String alignment, String grid,
                    List<RegionLine> regions, String differenceLimitHu, String ratioLimit, List<PairLine> pairs,
                    List<Overlay> overlays) {
    }

    /** @param cells volume ml, mean HU, median HU */
    public record RegionLine(int label, boolean swatch, String name, long voxels, List<String> cells) {
    }

    /** @param cells left mean HU, right mean HU, left − right HU, smaller/larger mean */
    public record PairLine(String region, List<String> cells, boolean beyond, String reason) {
    }

    /**
     * @param src     the image: a link to the gateway or a {@code data:} URI
     * @param plane   axial, coronal or sagittal
     * @param percent share of the labelled voxels up to its slice
     */
    public record Overlay(String src, String plane, int percent) {
    }
}
