package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A job view ({@code GET /api/v1/jobs/{id}}) as text: a headline with a bar over the job's units of
 * work, then one row per scan with the state of its preprocessing, each plane's prediction and the
 * fusion; a train job also gets one row per plane's training (with its epochs when known).
 */
final class JobProgress {
    static final List<String> PLANES = List.of("AXIAL", "CORONAL", "SAGITTAL");
    static final List<String> TERMINAL = List.of("SUCCEEDED", "FAILED", "CANCELLED");

    private JobProgress() {
    }

    static boolean terminal(JsonNode job) {
        return TERMINAL.contains(job.path("state").asText());
    }

    /**
     * Units done and expected: per scan its preprocessing, three planes and fusion (segment,
     * evaluate), or per scan its preprocessing plus three plane trainings (train; k-fold: three per fold).
     */
    static int[] units(JsonNode job) {
        boolean train = job.path("kind").asText().equals("TRAIN");
        int scans = job.path("scans").size();
        int expected = train ? scans + PLANES.size() * folds(job) : scans * (2 + PLANES.size());
        int done = 0;
        for (JsonNode t : job.path("tasks")) {
            done += t.path("state").asText().equals("SUCCEEDED") ? 1 : 0;
        }
        expected = Math.max(expected, done);
        return new int[] {job.path("state").asText().equals("SUCCEEDED") ? expected : done, expected};
    }

    /** k of a k-fold train job (parameter folds), else 1. */
    static int folds(JsonNode job) {
        JsonNode parameters = job.path("parameters");
        JsonNode k = parameters.path("folds");
        return k.canConvertToInt() && k.asInt() >= 2 ? k.asInt() : 1;
    }

    /** The lines for one look at the job; {@code training} is the training view of a train job, or {@code null}. */
    static List<String> render(JsonNode job, JsonNode training) {
        List<String> lines = new ArrayList<>();
        int[] u = units(job);
        lines.add(String.format(Locale.ROOT, "job %s  %s  %s  %s %d/%d tasks", job.path("id").asText(),
                job.path("kind").asText(), job.path("state").asText(), ProgressBar.of(u[0], u[1]), u[0], u[1]));
        Map<String, Map<String, String>> byScan = scanCells(job);
        Map<String, String> trainByPlane = trainingCells(job);
        lines.add(String.format("  %-36s  %-10s %-12s %-12s %-12s %-12s %-12s", "scan", "scan", "preprocess", "axial",
                "coronal", "sagittal", "fusion"));
        for (Map.Entry<String, Map<String, String>> e : byScan.entrySet()) {
            Map<String, String> r = e.getValue();
            lines.add(String.format("  %-36s  %-10s %-12s %-12s %-12s %-12s %-12s", e.getKey(), r.getOrDefault("scan", "-"),
                    r.getOrDefault("PREPROCESS", "-"), r.getOrDefault("AXIAL", "-"), r.getOrDefault("CORONAL", "-"),
                    r.getOrDefault("SAGITTAL", "-"), r.getOrDefault("FUSION", "-")));
        }
        if (job.path("kind").asText().equals("TRAIN")) {
            Map<String, String> epochs = epochs(training);
            int k = folds(job);
            for (String plane : PLANES) {
                for (int fold = 1; fold <= k; fold++) {
                    String key = k == 1 ? plane : plane + " fold " + fold;
                    String label = k == 1 ? plane : plane + " fold " + fold + "/" + k;
                    lines.add(String.format("  training %-9s %-12s %s", label.toLowerCase(Locale.ROOT),
                            trainByPlane.getOrDefault(key, "-"), epochs.getOrDefault(key, "")).stripTrailing());
                }
            }
            if (training != null && training.path("crossValidation").isObject()) {
                for (JsonNode p : training.path("crossValidation").path("planes")) {
                    if (p.hasNonNull("mean")) {
                        lines.add(String.format(Locale.ROOT, "  cross-validation %-9s validation mean IoU %.3f%s",
                                p.path("plane").asText().toLowerCase(Locale.ROOT), p.get("mean").asDouble(),
                                p.hasNonNull("sd") ? String.format(Locale.ROOT, " ± %.3f (sd over folds)", p.get("sd").asDouble())
                                        : ""));
                    }
                }
            }
        }
        return lines;
    }

    /**
     * Per scan id its cells: {@code scan} (the scan's state in the job), {@code PREPROCESS},
     * {@code AXIAL}, {@code CORONAL}, {@code SAGITTAL}, {@code FUSION} (each task's state, with
     * {@code #attempt} when retried), as far as the job has them.
     */
    static Map<String, Map<String, String>> scanCells(JsonNode job) {
        Map<String, Map<String, String>> byScan = new LinkedHashMap<>();
        for (JsonNode s : job.path("scans")) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("scan", s.path("state").asText());
            byScan.put(s.path("scanId").asText(), row);
        }
        for (JsonNode t : job.path("tasks")) {
            String kind = t.path("kind").asText();
            if (!kind.equals("TRAIN")) {
                Map<String, String> row = byScan.computeIfAbsent(t.path("scanId").asText(), id -> new LinkedHashMap<>());
                row.put(kind.equals("PLANE") ? t.path("plane").asText() : kind, cell(t));
            }
        }
        return byScan;
    }

    /** A train job's TRAIN tasks' cells by {@code PLANE} (k-fold: {@code PLANE fold i}). */
    static Map<String, String> trainingCells(JsonNode job) {
        Map<String, String> trainByPlane = new LinkedHashMap<>();
        for (JsonNode t : job.path("tasks")) {
            if (t.path("kind").asText().equals("TRAIN")) {
                trainByPlane.put(trainingKey(t), cell(t));
            }
        }
        return trainByPlane;
    }

    /**
     * How a scan was rotated, from its record: {@code transform derived from the atlas registration
     * (atlas-affine-ncc, quality 0.987)} or {@code transform uploaded (atlas registration
     * atlas-affine-ncc, quality 0.991)}; empty when the record names no transform yet.
     */
    static java.util.Optional<String> transformLine(JsonNode scan) {
        String origin = scan.path("transformOrigin").asText("");
        if (origin.isEmpty() || origin.equals("null")) {
            return java.util.Optional.empty();
        }
        JsonNode r = scan.path("registration");
        String registration = r.hasNonNull("method")
                ? String.format(Locale.ROOT, "%s, quality %.3f", r.get("method").asText(), r.path("quality").asDouble())
                : "no atlas registration recorded";
        return java.util.Optional.of(origin.equals("derived")
                ? "transform derived from the atlas registration (" + registration + ")"
                : "transform " + origin + " (atlas registration " + registration + ")");
    }

    /** Why the job failed: its error and every failed task's. */
    static List<String> failures(JsonNode job) {
        List<String> out = new ArrayList<>();
        if (job.hasNonNull("error")) {
            out.add(job.get("error").asText());
        }
        for (JsonNode t : job.path("tasks")) {
            if (t.path("state").asText().equals("FAILED") && t.hasNonNull("error")) {
                String where = t.path("kind").asText().toLowerCase(Locale.ROOT)
                        + (t.hasNonNull("plane") ? " " + t.get("plane").asText().toLowerCase(Locale.ROOT) : "")
                        + (t.hasNonNull("fold") ? " fold " + t.get("fold").asInt() : "")
                        + (t.hasNonNull("scanId") ? " of scan " + t.get("scanId").asText() : "");
                out.add(where + ": " + t.get("error").asText());
            }
        }
        return out;
    }

    /** A TRAIN task's row: its plane, and for a k-fold job's task {@code PLANE fold i}. */
    private static String trainingKey(JsonNode task) {
        String plane = task.path("plane").asText();
        return task.hasNonNull("fold") ? plane + " fold " + task.get("fold").asInt() : plane;
    }

    /** A task's state, with its attempt when retried. */
    private static String cell(JsonNode t) {
        String state = t.path("state").asText();
        int attempt = t.path("attempt").asInt(1);
        return attempt > 1 ? state + " #" + attempt : state;
    }

    static Map<String, String> epochs(JsonNode training) {
        Map<String, String> out = new LinkedHashMap<>();
        if (training == null) {
            return out;
        }
        for (JsonNode t : training.path("tasks")) {
            JsonNode e = t.path("epochs");
            if (e.size() == 0) {
                continue;
            }
            JsonNode last = e.get(e.size() - 1);
            String iou = last.hasNonNull("validationMeanIou")
                    ? String.format(Locale.ROOT, ", validation mean IoU %.3f", last.get("validationMeanIou").asDouble()) : "";
            out.put(trainingKey(t), "epoch " + e.size() + iou);
        }
        return out;
    }
}
