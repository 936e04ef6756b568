package org.triplane.gateway.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.triplane.db.jobs.Job;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.MetricPlane;
import org.triplane.imaging.labels.LabelPalette;
import org.triplane.imaging.metrics.MetricText;
import org.triplane.imaging.metrics.RegionStatisticsDocument;
import org.triplane.imaging.plane.Plane;

/**
 * A job's report as one HTML page, laid out by the Qute template {@code templates/ReportPage/report.html}
 * (every expression HTML-escaped unless marked raw) from a {@link ReportView} built here. Two
 * forms from the one template, told apart by their {@link PageAssets}: the served page links this
 * gateway's chart library, script and style sheets and the overlay images (signed like the page),
 * so a browser loads them as they come; the downloaded page holds all of them itself (images as
 * {@code data:} URIs) and opens from disk. Tables are plain HTML; the charts are drawn by the script
 * from a JSON block in the page. The page's own script reports whether everything loaded: attribute
 * {@code data-report-status} of {@code <html>} goes from {@code loading} to {@code ok}, or to
 * {@code error} with {@code data-report-error} saying what failed.
 */
@CheckedTemplate(basePath = "ReportPage")
final class ReportPage {

    /** Charts the script draws when the job has an evaluation: IoU, Dice, FP/FN ratio bars and the heat map. */
    static final int EVALUATION_CHARTS = 4;

    private static final List<MetricPlane> PLANES = List.of(MetricPlane.FUSED, MetricPlane.AXIAL, MetricPlane.CORONAL,
            MetricPlane.SAGITTAL, MetricPlane.ATLAS);
    private static final List<MetricPlane> SINGLE = List.of(MetricPlane.AXIAL, MetricPlane.CORONAL, MetricPlane.SAGITTAL,
            MetricPlane.ATLAS);

    private ReportPage() {
    }

    /** The template; Quarkus checks its expressions against {@link ReportView} when the gateway is built. */
    static native TemplateInstance report(ReportView page);

    /**
     * Where the page's overlay images come from.
     */
    @FunctionalInterface
    interface OverlaySources {
        /**
         * @param scanId a scan shown
         * @param plane  its plane
         * @param index  0 .. {@link OverlayRenderer#SLICE_FRACTIONS}.length − 1
         * @return the image's {@code src}: a link or a {@code data:} URI
         */
        String src(UUID scanId, Plane plane, int index);
    }

    /**
     * @param m       what to show
     * @param assets  the page's scripts and styles, linked or inside it
     * @param images  the overlay images' sources
     * @param json    serialises the chart data
     * @return the page
     */
    static String html(ReportModel m, PageAssets assets, OverlaySources images, ObjectMapper json) {
        return report(view(m, assets, images, json)).render();
    }

    /** @return links to this gateway's overlay images, carrying the report token */
    static OverlaySources linkedImages(UUID jobId, String token) {
        String q = "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return (scanId, plane, index) -> "/reports/" + jobId + "/scans/" + scanId + "/overlays/"
                + plane.wireName() + "/" + index + ".png" + q;
    }

    static ReportView view(ReportModel m, PageAssets assets, OverlaySources images, ObjectMapper json) {
        ReportModel.Evaluation e = m.evaluation();
        return new ReportView(m.job().id().toString(), assets, facts(m), legend(), e == null ? null : evaluation(e),
                m.scans().stream().map(s -> scan(s, images)).toList(), m.totalScans() - m.scans().size(), data(m, json));
    }

    private static List<ReportView.Fact> facts(ReportModel m) {
        Job j = m.job();
        List<ReportView.Fact> f = new ArrayList<>();
        f.add(new ReportView.Fact("job", j.id() + " (" + j.kind() + ", " + j.state() + ")"));
        f.add(new ReportView.Fact("requested by", j.requestedBy()));
        f.add(new ReportView.Fact("submitted", String.valueOf(j.createdAt())));
        f.add(new ReportView.Fact("finished", String.valueOf(j.finishedAt())));
        if (j.modelSetId() == null && !m.foldSets().isEmpty()) {
            f.add(new ReportView.Fact("model sets", m.foldSets().stream().map(s -> s.name() + " (" + s.id() + ")")
                    .collect(Collectors.joining(", "))));
        } else {
            f.add(new ReportView.Fact("model set", j.modelSetId() == null ? "none"
                    : (m.modelSetName() == null ? "" : m.modelSetName() + " ") + "(" + j.modelSetId() + ")"));
        }
        f.add(new ReportView.Fact("code version", j.codeVersion()));
        f.add(new ReportView.Fact("scans", String.valueOf(m.totalScans())));
        return List.copyOf(f);
    }

    private static List<ReportView.LegendEntry> legend() {
        List<ReportView.LegendEntry> out = new ArrayList<>();
        for (int label = 1; label <= ClassMetric.MAX_CLASS; label++) {
            out.add(new ReportView.LegendEntry(label, LabelPalette.name(label)));
        }
        return List.copyOf(out);
    }

    static ReportView.EvaluationView evaluation(ReportModel.Evaluation e) {
        List<ReportView.Chart> charts = List.of(
                new ReportView.Chart("chart-iou", "IoU per region: fused, each plane and the atlas method"),
                new ReportView.Chart("chart-dice", "Dice per region: fused, each plane and the atlas method"),
                new ReportView.Chart("chart-fpfn", "FP/FN ratio per region: fused, each plane and the atlas method"));
        List<ReportView.MetricLine> rows = new ArrayList<>();
        for (ReportModel.ClassRow row : e.classes()) {
            ReportModel.Means f = row.byPlane().get(MetricPlane.FUSED);
            List<String> fused = f == null ? Collections.nCopies(6, MetricText.of(null, 0))
                    : List.of(MetricText.of(f.iou(), 3), MetricText.of(f.dice(), 3), MetricText.of(f.fpFnRatio(), 3), MetricText.of(f.misclassification(), 5),
                            MetricText.of(f.referenceMl(), 2), MetricText.of(f.predictedMl(), 2));
            List<String> planes = SINGLE.stream().map(p -> row.byPlane().get(p))
                    .map(means -> MetricText.of(means == null ? null : means.iou(), 3)).toList();
            rows.add(new ReportView.MetricLine(row.label(), row.label() != 0, LabelPalette.name(row.label()), fused, planes));
        }
        return new ReportView.EvaluationView(e.scans(), charts, List.copyOf(rows), e.confusion() != null);
    }

    /** How the scan was rotated: its transform's origin and the atlas registration's method and quality. */
    static String alignment(ReportModel.ScanSection s) {
        String origin = s.transformOrigin() == null ? "none recorded"
                : "derived".equals(s.transformOrigin()) ? "derived from the atlas registration" : "uploaded with the CT";
        String registration = s.registrationMethod() == null ? "no atlas registration recorded"
                : "atlas registration " + s.registrationMethod() + ", quality (NCC) "
                        + String.format(Locale.ROOT, "%.3f", s.registrationQuality());
        return "Transform: " + origin + "; " + registration + ".";
    }

    private static ReportView.ScanView scan(ReportModel.ScanSection s, OverlaySources images) {
        RegionStatisticsDocument stats = s.regionStatistics();
        List<ReportView.RegionLine> regions = stats.regions().stream()
                .map(r -> new ReportView.RegionLine(r.label(), r.label() >= 1 && r.label() <= ClassMetric.MAX_CLASS, r.name(),
                        r.voxels(), List.of(MetricText.of(r.volumeMl(), 2), MetricText.of(r.meanHu(), 1), MetricText.of(r.medianHu(), 1))))
                .toList();
        List<ReportView.PairLine> pairs = stats.pairs().stream()
                .map(p -> new ReportView.PairLine(p.region(), List.of(MetricText.of(p.leftMeanHu(), 1), MetricText.of(p.rightMeanHu(), 1),
                        MetricText.of(p.differenceHu(), 2), MetricText.of(p.ratio(), 3)), p.flagged(), p.reason()))
                .toList();
        List<ReportView.Overlay> overlays = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            for (int i = 0; i < OverlayRenderer.SLICE_FRACTIONS.length; i++) {
                overlays.add(new ReportView.Overlay(images.src(s.scanId(), plane, i), plane.wireName(),
                        (int) Math.round(OverlayRenderer.SLICE_FRACTIONS[i] * 100)));
            }
        }
        return new ReportView.ScanView(s.scanId().toString(), s.ctSha256(), s.fusionMethod(), alignment(s), stats.grid(),
                regions, MetricText.of(stats.differenceLimitHu(), 1), MetricText.of(stats.ratioLimit(), 2), pairs, List.copyOf(overlays));
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
                        ObjectNode o = c.putObject(p.wireName());
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

    /** The label colours as CSS classes {@code label-1} … {@code label-20} (background colour). */
    static String labelsCss() {
        StringBuilder css = new StringBuilder("/* ASPECTS label colours, from LabelPalette */\n");
        for (int label = 1; label <= ClassMetric.MAX_CLASS; label++) {
            css.append(".label-").append(label).append(" { background-color: ").append(LabelPalette.css(label)).append("; }\n");
        }
        return css.toString();
    }
}
