package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code watch --json}: one JSON object per line for each change of a job's progress (the same
 * cells as {@link JobProgress}'s text), one per scan transform as it becomes known, and one at the
 * end. Every object has {@code event} ({@code progress}, {@code transform}, {@code end}) and
 * {@code jobId}.
 */
final class JobProgressJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobProgressJson() {
    }

    /**
     * {@code {event: progress, jobId, kind, state, elapsedSeconds, tasksDone, tasksExpected,
     * scans: [{scanId, state, preprocess, axial, coronal, sagittal, fusion}], training: [{task, state,
     * progress}]}}; a cell the job does not have yet is null.
     */
    static String progress(JsonNode job, JsonNode training, double elapsedSeconds) {
        ObjectNode o = event("progress", job.path("id").asText());
        o.put("kind", job.path("kind").asText());
        o.put("state", job.path("state").asText());
        o.put("elapsedSeconds", Math.round(elapsedSeconds * 10) / 10.0);
        int[] u = JobProgress.units(job);
        o.put("tasksDone", u[0]);
        o.put("tasksExpected", u[1]);
        ArrayNode scans = o.putArray("scans");
        for (Map.Entry<String, Map<String, String>> e : JobProgress.scanCells(job).entrySet()) {
            ObjectNode s = scans.addObject();
            s.put("scanId", e.getKey());
            Map<String, String> cells = e.getValue();
            s.put("state", cells.get("scan"));
            for (String task : List.of("PREPROCESS", "AXIAL", "CORONAL", "SAGITTAL", "FUSION")) {
                s.put(task.toLowerCase(Locale.ROOT), cells.get(task));
            }
        }
        Map<String, String> epochs = JobProgress.epochs(training);
        ArrayNode trainingRows = o.putArray("training");
        for (Map.Entry<String, String> e : JobProgress.trainingCells(job).entrySet()) {
            ObjectNode t = trainingRows.addObject();
            t.put("task", e.getKey().toLowerCase(Locale.ROOT));
            t.put("state", e.getValue());
            t.put("progress", epochs.get(e.getKey()));
        }
        return line(o);
    }

    /** {@code {event: transform, jobId, scanId, transform}}: how a preprocessed scan was rotated. */
    static String transform(String jobId, String scanId, String how) {
        ObjectNode o = event("transform", jobId);
        o.put("scanId", scanId);
        o.put("transform", how);
        return line(o);
    }

    /** {@code {event: end, jobId, state, failures: [...]}}. */
    static String end(JsonNode job) {
        ObjectNode o = event("end", job.path("id").asText());
        o.put("state", job.path("state").asText());
        ArrayNode failures = o.putArray("failures");
        JobProgress.failures(job).forEach(failures::add);
        return line(o);
    }

    private static ObjectNode event(String event, String jobId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", event);
        o.put("jobId", jobId);
        return o;
    }

    private static String line(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }
}
