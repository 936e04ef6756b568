package org.triplane.gateway.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.triplane.db.ClassMetric;
import org.triplane.db.Job;
import org.triplane.db.MetricPlane;
import org.triplane.db.Plane;
import org.triplane.imaging.labels.LabelPalette;
import org.triplane.imaging.metrics.RegionStatisticsDocument;

/**
 * Writes a job's report as one HTML page. Everything the page loads comes from the gateway: the
 * vendored chart library ({@code /vendor/}), the page's script and style sheet ({@code /report/}),
 * the label colours ({@code /reports/labels.css}, from {@link LabelPalette}) and the overlay
 * images (signed like the page). Tables are plain HTML; the charts are drawn by the script from a
 * JSON block in the page. The page's own script reports whether everything loaded: attribute
 * {@code data-report-status} of {@code <html>} goes from {@code loading} to {@code ok}, or to
 * {@code error} with {@code data-report-error} saying what failed.
 */
final class ReportPage {

    /** Charts the script draws when the job has an evaluation: IoU, Dice, FP/FN ratio bars and the heat map. */
    static final int EVALUATION_CHARTS = 4;

    private static final List<MetricPlane> PLANES = List.of(MetricPlane.FUSED, MetricPlane.AXIAL, MetricPlane.CORONAL,
            MetricPlane.SAGITTAL, MetricPlane.ATLAS);

    private ReportPage() {
    }

    /**
     * @param m     what to show
     * @param token the report token the overlay image links carry
     * @param json  serialises the chart data
     * @return the page
     */
    static String html(ReportModel m, String token, ObjectMapper json) {
        Job job = m.job();
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\" data-report-status=\"loading\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>triplane report: job ").append(job.id()).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/report/report.css\">\n")
                .append("<link rel=\"stylesheet\" href=\"/reports/labels.css\">\n")
                .append("<script defer src=\"/vendor/chartjs/chart.umd.min.js\"></script>\n")
                .append("<script defer src=\"/vendor/chartjs-chart-matrix/chartjs-chart-matrix.min.js\"></script>\n")
                .append("<script defer src=\"/report/report.js\"></script>\n</head>\n<body>\n");
        header(h, m);
        legend(h);
        if (m.evaluation() == null) {
            h.append("<section id=\"evaluation\" class=\"absent\"><h2>Evaluation</h2><p>The job's scans had no reference "
                    + "labels, so there is no evaluation; region measurements and images follow.</p></section>\n");
        } else {
            evaluation(h, m.evaluation());
        }
        for (ReportModel.ScanSection s : m.scans()) {
            scan(h, job, s, token);
        }
        if (m.totalScans() > m.scans().size()) {
            h.append("<p class=\"note\">").append(m.totalScans() - m.scans().size()).append(" more scan(s) of this job are "
                    + "not shown; their results are at /api/v1/jobs/").append(job.id()).append("/results.</p>\n");
        }
        h.append("<footer><p id=\"report-status\">Drawing the charts and loading the images…</p></footer>\n")
                .append("<script type=\"application/json\" id=\"report-data\">").append(data(m, json)).append("</script>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ReportModel m) {
        Job j = m.job();
        h.append("<header><h1>Segmentation report</h1>\n<dl class=\"facts\">");
        fact(h, "job", j.id() + " (" + j.kind() + ", " + j.state() + ")");
        fact(h, "requested by", j.requestedBy());
        fact(h, "submitted", String.valueOf(j.createdAt()));
        fact(h, "finished", String.valueOf(j.finishedAt()));
        if (j.modelSetId() == null && !m.foldSets().isEmpty()) {
            fact(h, "model sets", m.foldSets().stream().map(s -> s.name() + " (" + s.id() + ")")
                    .collect(Collectors.joining(", ")));
        } else {
            fact(h, "model set", j.modelSetId() == null ? "none"
                    : (m.modelSetName() == null ? "" : m.modelSetName() + " ") + "(" + j.modelSetId() + ")");
        }
        fact(h, "code version", j.codeVersion());
        fact(h, "scans", String.valueOf(m.totalScans()));
        h.append("</dl></header>\n");
    }

    private static void fact(StringBuilder h, String term, String value) {
        h.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }

    private static void legend(StringBuilder h) {
        h.append("<section id=\"legend\"><h2>Labels</h2>\n<ul class=\"legend\">");
        for (int label = 1; label <= ClassMetric.MAX_CLASS; label++) {
            h.append("<li><span class=\"swatch label-").append(label).append("\"></span>").append(label).append(' ')
                    .append(esc(LabelPalette.name(label))).append("</li>");
        }
        h.append("</ul></section>\n");
    }

    private static void evaluation(StringBuilder h, ReportModel.Evaluation e) {
        h.append("<section id=\"evaluation\"><h2>Evaluation against the reference labels</h2>\n<p>Per region, the mean "
                + "over ").append(e.scans()).append(" scan(s) of each metric, on the grid the reference labels were drawn "
                + "on. IoU = TP / (TP + FP + FN), Dice = 2TP / (2TP + FP + FN), FP/FN ratio undefined where FN = 0; "
                + "volumes in ml.</p>\n<div class=\"charts\">");
        chart(h, "chart-iou", "IoU per region: fused, each plane and the atlas method");
        chart(h, "chart-dice", "Dice per region: fused, each plane and the atlas method");
        chart(h, "chart-fpfn", "FP/FN ratio per region: fused, each plane and the atlas method");
        h.append("</div>\n<table class=\"metrics\">\n<thead><tr><th></th><th>label</th><th>region</th>"
                + "<th>IoU</th><th>Dice</th><th>FP/FN</th><th>misclassification</th><th>reference ml</th>"
                + "<th>predicted ml</th><th>IoU axial</th><th>IoU coronal</th><th>IoU sagittal</th><th>IoU atlas</th></tr></thead>\n<tbody>");
        for (ReportModel.ClassRow row : e.classes()) {
            ReportModel.Means f = row.byPlane().get(MetricPlane.FUSED);
            h.append("<tr><td>").append(row.label() == 0 ? "" : "<span class=\"swatch label-" + row.label() + "\"></span>")
                    .append("</td><td>").append(row.label()).append("</td><td>").append(esc(LabelPalette.name(row.label())))
                    .append("</td>");
            cell(h, f == null ? null : f.iou(), 3);
            cell(h, f == null ? null : f.dice(), 3);
            cell(h, f == null ? null : f.fpFnRatio(), 3);
            cell(h, f == null ? null : f.misclassification(), 5);
            cell(h, f == null ? null : f.referenceMl(), 2);
            cell(h, f == null ? null : f.predictedMl(), 2);
            for (MetricPlane p : List.of(MetricPlane.AXIAL, MetricPlane.CORONAL, MetricPlane.SAGITTAL, MetricPlane.ATLAS)) {
                ReportModel.Means means = row.byPlane().get(p);
                cell(h, means == null ? null : means.iou(), 3);
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<p class=\"note\">IoU, Dice, FP/FN, misclassification and volumes are the fused "
                + "prediction's; the last four columns each plane's network alone and the atlas method (the atlas's labels "
                + "carried onto the scan by its registration, no network). — where a value does not exist.</p>\n");
        if (e.confusion() != null) {
            h.append("<h3>Confusion matrix of the fused prediction</h3>\n<p>Rows: reference label, columns: predicted "
                    + "label; colour: share of the reference label's voxels (row-normalised), summed over the scans.</p>\n"
                    + "<div class=\"heatmap\"><canvas id=\"chart-confusion\" class=\"chart\" role=\"img\" "
                    + "aria-label=\"confusion matrix heat map\"></canvas></div>\n");
        }
        h.append("</section>\n");
    }

    private static void chart(StringBuilder h, String id, String caption) {
        h.append("<figure class=\"bar\"><div class=\"canvas-box\"><canvas id=\"").append(id)
                .append("\" class=\"chart\" role=\"img\" aria-label=\"").append(esc(caption))
                .append("\"></canvas></div><figcaption>").append(esc(caption)).append("</figcaption></figure>");
    }

    /** How the scan was rotated: its transform's origin and the atlas registration's method and quality. */
    static String alignment(ReportModel.ScanSection s) {
        String origin = s.transformOrigin() == null ? "none recorded"
                : "derived".equals(s.transformOrigin()) ? "derived from the atlas registration" : "uploaded with the CT";
        String registration = s.registrationMethod() == null ? "no atlas registration recorded"
                : "atlas registration " + esc(s.registrationMethod()) + ", quality (NCC) "
                        + String.format(java.util.Locale.ROOT, "%.3f", s.registrationQuality());
        return "Transform: " + origin + "; " + registration + ".";
    }

    private static void scan(StringBuilder h, Job job, ReportModel.ScanSection s, String token) {
        RegionStatisticsDocument stats = s.regionStatistics();
        h.append("<section class=\"scan\" id=\"scan-").append(s.scanId()).append("\"><h2>Scan ").append(s.scanId())
                .append("</h2>\n<p>CT SHA-256 <code>").append(esc(s.ctSha256())).append("</code>; planes fused by ")
                .append(esc(s.fusionMethod())).append(" vote.</p>\n");
        h.append("<p class=\"alignment\">").append(alignment(s)).append("</p>\n");
        h.append("<h3>Regions</h3>\n<p>Measured on the scan as acquired (").append(esc(stats.grid()))
                .append(" grid) inside the fused labels.</p>\n<table class=\"regions\"><thead><tr><th></th><th>label</th>"
                        + "<th>region</th><th>voxels</th><th>volume ml</th><th>mean HU</th><th>median HU</th></tr></thead><tbody>");
        for (RegionStatisticsDocument.Region r : stats.regions()) {
            int label = r.label();
            h.append("<tr><td>").append(label >= 1 && label <= 20 ? "<span class=\"swatch label-" + label + "\"></span>" : "")
                    .append("</td><td>").append(label).append("</td><td>").append(esc(r.name()))
                    .append("</td><td>").append(r.voxels()).append("</td>");
            cell(h, r.volumeMl(), 2);
            cell(h, r.meanHu(), 1);
            cell(h, r.medianHu(), 1);
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<h3>Left against right</h3>\n<p class=\"note\">Measurements for a reader's attention, "
                + "not a diagnosis: a difference between the sides can come from segmentation error, beam hardening, noise "
                + "or anatomy as well as from disease, and the limits (|left − right| ≥ ")
                .append(fmt(stats.differenceLimitHu(), 1)).append(" HU or smaller/larger mean ≤ ")
                .append(fmt(stats.ratioLimit(), 2)).append(") are not clinically validated.</p>\n"
                        + "<table class=\"pairs\"><thead><tr><th>region</th><th>left mean HU</th><th>right mean HU</th>"
                        + "<th>left − right HU</th><th>smaller/larger mean</th><th>beyond a limit</th><th>measurement</th>"
                        + "</tr></thead><tbody>");
        for (RegionStatisticsDocument.Pair p : stats.pairs()) {
            boolean beyond = p.flagged();
            h.append("<tr").append(beyond ? " class=\"beyond\"" : "").append("><td>").append(esc(p.region()))
                    .append("</td>");
            cell(h, p.leftMeanHu(), 1);
            cell(h, p.rightMeanHu(), 1);
            cell(h, p.differenceHu(), 2);
            cell(h, p.ratio(), 3);
            h.append("<td>").append(beyond ? "yes" : "no").append("</td><td>").append(esc(p.reason()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n<h3>Fused labels over the CT</h3>\n<p>The scan as acquired, windowed to its recorded "
                + "HU window; slices where a quarter, half and three quarters of the labelled voxels along the plane's normal are reached. Axial and coronal "
                + "images show the patient's left on the right.</p>\n<div class=\"overlays\">");
        String q = "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        for (Plane plane : Plane.values()) {
            String name = plane.name().toLowerCase(Locale.ROOT);
            for (int i = 0; i < OverlayRenderer.SLICE_FRACTIONS.length; i++) {
                int percent = (int) Math.round(OverlayRenderer.SLICE_FRACTIONS[i] * 100);
                h.append("<figure><img class=\"overlay\" src=\"/reports/").append(job.id()).append("/scans/").append(s.scanId())
                        .append("/overlays/").append(name).append('/').append(i).append(".png").append(esc(q))
                        .append("\" alt=\"").append(name).append(" slice, fused labels over the CT\"><figcaption>")
                        .append(name).append(", ").append(percent).append(" % of the labels</figcaption></figure>");
            }
        }
        h.append("</div>\n</section>\n");
    }

    /** The chart data: labels with colours, per class and prediction the means, the summed confusion matrix. */
    private static String data(ReportModel m, ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ArrayNode labels = root.putArray("labels");
        for (int label = 0; label <= ClassMetric.MAX_CLASS; label++) {
            ObjectNode l = labels.addObject().put("label", label).put("name", LabelPalette.name(label));
            l.put("colour", label == 0 ? "#000000" : LabelPalette.css(label));
        }
        ReportModel.Evaluation e = m.evaluation();
        root.put("expectedCharts", e == null ? 0 : (e.confusion() == null ? EVALUATION_CHARTS - 1 : EVALUATION_CHARTS));
        if (e != null) {
            ObjectNode ev = root.putObject("evaluation");
            ev.put("scans", e.scans());
            ArrayNode classes = ev.putArray("classes");
            for (ReportModel.ClassRow row : e.classes()) {
                ObjectNode c = classes.addObject().put("label", row.label());
                for (MetricPlane p : PLANES) {
                    ReportModel.Means means = row.byPlane().get(p);
                    if (means != null) {
                        ObjectNode o = c.putObject(p.name().toLowerCase(Locale.ROOT));
                        o.put("iou", means.iou()).put("dice", means.dice()).put("fpFnRatio", means.fpFnRatio());
                    }
                }
            }
            if (e.confusion() != null) {
                ev.set("confusion", json.valueToTree(e.confusion()));
            }
        }
        try {
            // why: "</" inside a script element would end it early; "<\/" is the same JSON string
            return json.writeValueAsString(root).replace("</", "<\\/");
        } catch (JsonProcessingException e2) {
            throw new IllegalStateException("report data not serialisable", e2);
        }
    }

    private static void cell(StringBuilder h, Double v, int decimals) {
        h.append("<td class=\"num\">").append(fmt(v, decimals)).append("</td>");
    }

    private static String fmt(Double v, int decimals) {
        return v == null || !Double.isFinite(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** @param s text @return it escaped for HTML text and attribute values */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    /** The label colours as CSS classes {@code label-1} … {@code label-20} (background colour). */
    static String labelsCss() {
        StringBuilder css = new StringBuilder("/* ASPECTS label colours, from LabelPalette */\n");
        for (int label = 1; label <= ClassMetric.MAX_CLASS; label++) {
            css.append(".label-").append(label).append(" { background-color: ").append(LabelPalette.css(label)).append("; }\n");
        }
        return css.toString();
    }
}
