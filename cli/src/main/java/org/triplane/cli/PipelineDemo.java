package org.triplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackProperties;
import org.triplane.imaging.metrics.ConfusionCounts;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.phantom.PhantomDataset;

/**
 * The job pipeline half of the demo, on the local stack: start the stack (servers and the four
 * services), create a tenant, upload the synthetic scans with their labels through the gateway,
 * train a model set as a TRAIN job on the first scans, evaluate it on the held-out scans as an
 * EVALUATE job through every service (preprocess, three planes, fusion) and, when the stack has a
 * default model set, evaluate that one on the same scans too; then read the job's metric rows and
 * the report's address. Per class it sums the rows' confusion counts over the held-out scans and
 * derives IoU, Dice and FP/FN ratio from those sums by the same rule the stored rows follow
 * ({@link ConfusionCounts}), so a metric that does not exist is NaN here as it is null there; the
 * report's figures are means over scans instead. The atlas method's metrics (the registered
 * atlas's labels, stored and scored by the pipeline beside the planes) come with the planes' for
 * comparison. The stack is left running; stopping it is the caller's choice.
 */
final class PipelineDemo {
    private static final Duration TRAIN_TIMEOUT = Duration.ofMinutes(40);
    private static final Duration EVALUATE_TIMEOUT = Duration.ofMinutes(15);
    // why lenient: a newer gateway may answer with fields this client does not know
    private static final ObjectMapper EVALUATION = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * How to train.
     *
     * @param trainScans scans the TRAIN job gets (one of them is its validation scan)
     * @param epochs     epochs per plane
     * @param preset     network preset
     * @param gridMm     model grid spacing, mm
     * @param seed       training seed
     * @param inputs     what the networks take besides the window: window, midline or atlas
     */
    record Training(int trainScans, int epochs, String preset, double gridMm, long seed, String inputs) {
    }

    /**
     * One class of one prediction over the held-out scans: its confusion counts and volumes summed
     * over the scans, and the metrics of those summed counts by {@link ConfusionCounts}. A metric
     * that does not exist is NaN: IoU and Dice of a class in no reference and no prediction, the
     * FP/FN ratio where FN = 0 (with or without false positives); summary.json holds it as null.
     *
     * @param label  class 1..20
     * @param region its name, e.g. {@code left M4}
     * @param counts TP, FP, FN and TN, voxels summed over the scans
     * @param gtMl   reference volume summed over the scans, ml
     * @param predMl predicted volume summed over the scans, ml
     */
    record ClassRow(int label, String region, ConfusionCounts counts, double gtMl, double predMl) {
        double iou() {
            return counts.iou();
        }

        double dice() {
            return counts.dice();
        }

        double fpFn() {
            return counts.fpFnRatio();
        }
    }

    /** What the run produced. */
    record Result(String gatewayUrl, UUID tenantId, UUID trainJobId, UUID modelSetId, UUID evaluateJobId, String reportUrl,
                  List<ClassRow> fusedClasses, Map<String, Summary> predictions, Map<String, Double> seconds,
                  DefaultSet defaultSet) {
    }

    /**
     * The shipped default model set evaluated on the same held-out scans.
     *
     * @param modelSetId  its id
     * @param jobId       the evaluate job that named no model set
     * @param predictions each plane's, the atlas method's and the fused summary
     */
    record DefaultSet(UUID modelSetId, UUID jobId, Map<String, Summary> predictions) {
    }

    /**
     * One prediction (a plane's or the fused one) over the held-out scans.
     *
     * @param meanIoU   mean IoU over the regions present, from counts summed over scans
     * @param leftRight share of region voxels predicted as the same region of the other side, mean over scans
     */
    record Summary(double meanIoU, double leftRight) {
    }

    private final PrintStream progress;

    PipelineDemo(PrintStream progress) {
        this.progress = progress;
    }

    /** The stack's services whose jar is not built (and that do not run): empty when it can run the whole pipeline. */
    static List<String> unbuiltServices(StackConfig config) {
        return new LocalStack(config).status().components().stream()
                .filter(c -> c.state() == ComponentStatus.State.NOT_BUILT).map(ComponentStatus::name).toList();
    }

    Result run(StackConfig config, Path dataset, List<PhantomDataset.SubjectFiles> scans, Training training)
            throws IOException, InterruptedException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t = System.nanoTime();
        new LocalStack(config, (component, message) -> progress.printf("      %s: %s%n", component, message)).up();
        t = lap(seconds, "stack", t);
        Properties endpoints = StackProperties.read(config.dataDir());
        String gatewayUrl = endpoints.getProperty(StackProperties.GATEWAY_URL);
        GatewayClient gateway = new GatewayClient(gatewayUrl);
        GatewayClient.Tenant tenant = gateway.createTenant(endpoints.getProperty(StackProperties.GATEWAY_ADMIN_TOKEN),
                "demo-" + UUID.randomUUID());
        String key = tenant.apiKey();
        List<UUID> ids = new ArrayList<>();
        for (PhantomDataset.SubjectFiles s : scans) {
            JsonNode scan = gateway.uploadScan(key, dataset.resolve(s.ctFile()), dataset.resolve(s.transformFile()),
                    dataset.resolve(s.segFile()));
            ids.add(UUID.fromString(scan.get("id").asText()));
            progress.printf("      %s %d/%d  uploaded %s with %s and %s%n", ProgressBar.of(ids.size(), scans.size()),
                    ids.size(), scans.size(), s.ctFile(), s.transformFile(), s.segFile());
        }
        t = lap(seconds, "upload", t);

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("preset", training.preset());
        parameters.put("epochs", training.epochs());
        parameters.put("inputs", training.inputs());
        parameters.put("gridSpacingMm", training.gridMm());
        parameters.put("validationScans", 1);
        parameters.put("seed", training.seed());
        parameters.put("modelSetName", "demo-" + UUID.randomUUID());
        List<UUID> trainIds = ids.subList(0, training.trainScans());
        List<UUID> heldOut = ids.subList(training.trainScans(), ids.size());
        UUID trainJob = gateway.submitJob(key, "demo-train-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("train", trainIds, parameters, null)).id();
        progress.printf(java.util.Locale.ROOT, "      train job %s: %d scans (%d to train on, 1 to validate), %s preset, "
                + "%s inputs, %d epochs per plane, %s mm model grid%n", trainJob, trainIds.size(), trainIds.size() - 1,
                training.preset(), training.inputs(), training.epochs(), training.gridMm());
        JsonNode trained = followTraining(gateway, key, trainJob, training.epochs(), config);
        UUID modelSet = UUID.fromString(trained.get("modelSetId").asText());
        t = lap(seconds, "train", t);

        UUID evaluateJob = gateway.submitJob(key, "demo-evaluate-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("evaluate", heldOut, Map.of("fusion", "majority"), modelSet)).id();
        progress.printf("      evaluate job %s: %d held-out scans with model set %s%n", evaluateJob, heldOut.size(), modelSet);
        followEvaluation(gateway, key, evaluateJob, heldOut.size(), config);
        t = lap(seconds, "evaluate", t);

        JsonNode rows = gateway.metrics(key, evaluateJob, Map.of());
        JsonNode results = gateway.results(key, evaluateJob);
        String report = gateway.reportLink(key, evaluateJob);
        Map<String, Summary> predictions = summaries(rows, results);
        DefaultSet shipped = evaluateDefault(gateway, key, heldOut, config);
        if (shipped != null) {
            lap(seconds, "evaluate-default", t);
        }
        return new Result(gatewayUrl, tenant.id(), trainJob, modelSet, evaluateJob, report, fusedClasses(rows), predictions,
                seconds, shipped);
    }

    /**
     * The same held-out scans through the default model set (an evaluate job naming none, as a user
     * would submit it), or null when the stack has no default.
     */
    private DefaultSet evaluateDefault(GatewayClient gateway, String key, List<UUID> heldOut, StackConfig config)
            throws IOException, InterruptedException {
        java.util.Optional<JsonNode> set = gateway.defaultModelSet(key);
        if (set.isEmpty()) {
            progress.printf("      no default model set is registered (models/default): its evaluation is skipped%n");
            return null;
        }
        UUID id = UUID.fromString(set.get().path("id").asText());
        UUID job = gateway.submitJob(key, "demo-evaluate-default-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("evaluate", heldOut, Map.of("fusion", "majority"), null)).id();
        progress.printf("      evaluate job %s: the same %d scans with the default model set %s (none named)%n", job,
                heldOut.size(), id);
        followEvaluation(gateway, key, job, heldOut.size(), config);
        return new DefaultSet(id, job, summaries(gateway.metrics(key, job, Map.of()), gateway.results(key, job)));
    }

    private JsonNode followTraining(GatewayClient gateway, String key, UUID jobId, int epochs, StackConfig config)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TRAIN_TIMEOUT.toNanos();
        String reported = "";
        while (true) {
            JsonNode job = gateway.job(key, jobId);
            failIfFailed(job, config);
            StringBuilder line = new StringBuilder();
            int preprocessed = count(job, "PREPROCESS", "SUCCEEDED");
            int scans = count(job, "PREPROCESS", null);
            line.append(String.format("      %s %d/%d  scans preprocessed", ProgressBar.of(preprocessed, Math.max(1, scans)),
                    preprocessed, scans));
            if (count(job, "TRAIN", null) > 0) {
                JsonNode training = gateway.training(key, jobId);
                for (JsonNode task : training.path("tasks")) {
                    int done = task.path("epochs").size();
                    JsonNode last = done == 0 ? null : task.path("epochs").get(done - 1);
                    line.append(String.format("%n      %s %d/%d  %-8s epochs%s", ProgressBar.of(done, epochs), done, epochs,
                            task.path("plane").asText(), last == null || last.path("validationMeanIou").isNull() ? ""
                                    : String.format("  validation mean IoU %.3f", last.path("validationMeanIou").asDouble())));
                }
            }
            if (!line.toString().equals(reported)) {
                progress.println(line);
                reported = line.toString();
            }
            if ("SUCCEEDED".equals(job.path("state").asText())) {
                return job;
            }
            timeout(deadline, "train job " + jobId, TRAIN_TIMEOUT, config);
            Thread.sleep(2000);
        }
    }

    private void followEvaluation(GatewayClient gateway, String key, UUID jobId, int scans, StackConfig config)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + EVALUATE_TIMEOUT.toNanos();
        String reported = "";
        while (true) {
            JsonNode job = gateway.job(key, jobId);
            failIfFailed(job, config);
            String line = String.format("      %s %d/%d preprocessed   %s %d/%d plane predictions   %s %d/%d fused",
                    ProgressBar.of(count(job, "PREPROCESS", "SUCCEEDED"), scans), count(job, "PREPROCESS", "SUCCEEDED"), scans,
                    ProgressBar.of(count(job, "PLANE", "SUCCEEDED"), 3L * scans), count(job, "PLANE", "SUCCEEDED"), 3 * scans,
                    ProgressBar.of(count(job, "FUSION", "SUCCEEDED"), scans), count(job, "FUSION", "SUCCEEDED"), scans);
            if (!line.equals(reported)) {
                progress.println(line);
                reported = line;
            }
            if ("SUCCEEDED".equals(job.path("state").asText())) {
                return;
            }
            timeout(deadline, "evaluate job " + jobId, EVALUATE_TIMEOUT, config);
            Thread.sleep(1000);
        }
    }

    private static int count(JsonNode job, String kind, String state) {
        int n = 0;
        for (JsonNode task : job.path("tasks")) {
            if (kind.equals(task.path("kind").asText()) && (state == null || state.equals(task.path("state").asText()))) {
                n++;
            }
        }
        return n;
    }

    private static void failIfFailed(JsonNode job, StackConfig config) throws IOException {
        String state = job.path("state").asText();
        if ("FAILED".equals(state) || "CANCELLED".equals(state)) {
            throw new IOException("job " + job.path("id").asText() + " " + state + ": " + job.path("error").asText()
                    + " (service logs in " + config.dataDir().resolve("logs") + ")");
        }
    }

    private static void timeout(long deadline, String what, Duration limit, StackConfig config) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException(what + " not finished within " + limit.toMinutes() + " min; service logs in "
                    + config.dataDir().resolve("logs"));
        }
    }

    /** The fused prediction's counts, volumes and metrics per class 1..20, counts summed over scans. */
    static List<ClassRow> fusedClasses(JsonNode rows) {
        return classes(rows, "FUSED");
    }

    /** One prediction's (a plane's or FUSED) counts and volumes per class 1..20, summed over scans. */
    private static List<ClassRow> classes(JsonNode rows, String prediction) {
        TreeMap<Integer, long[]> counts = new TreeMap<>();
        TreeMap<Integer, double[]> volumes = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        for (JsonNode r : rows) {
            int label = r.path("classLabel").asInt();
            if (!prediction.equals(r.path("plane").asText()) || label == 0) {
                continue;
            }
            long[] c = counts.computeIfAbsent(label, l -> new long[4]);
            c[0] += r.path("tp").asLong();
            c[1] += r.path("fp").asLong();
            c[2] += r.path("fn").asLong();
            c[3] += r.path("tn").asLong();
            double[] v = volumes.computeIfAbsent(label, l -> new double[2]);
            v[0] += r.path("referenceMl").asDouble();
            v[1] += r.path("predictedMl").asDouble();
            names.put(label, r.path("region").asText());
        }
        List<ClassRow> out = new ArrayList<>();
        counts.forEach((label, c) -> out.add(new ClassRow(label, names.get(label), new ConfusionCounts(c[0], c[1], c[2], c[3]),
                volumes.get(label)[0], volumes.get(label)[1])));
        return out;
    }

    /**
     * Per prediction (each plane, the fused one and the atlas method, as the fusion-worker stored
     * them): mean IoU over the regions present, from the metric rows' counts summed over scans,
     * and the left/right confusion rate from each scan's evaluation, averaged.
     */
    static Map<String, Summary> summaries(JsonNode rows, JsonNode results) {
        Map<String, Summary> out = new LinkedHashMap<>();
        for (String prediction : List.of("AXIAL", "CORONAL", "SAGITTAL", "FUSED", "ATLAS")) {
            double meanIoU = ConfusionCounts.mean(classes(rows, prediction).stream().map(ClassRow::counts).toList(),
                    ConfusionCounts::iou);
            double leftRight = 0;
            int scans = 0;
            for (JsonNode scan : results.path("scans")) {
                Double rate = evaluation(scan).flatMap(e -> e.prediction(prediction.toLowerCase(Locale.ROOT)))
                        .map(EvaluationDocument.Prediction::leftRightConfusionRate).orElse(null);
                if (rate != null) {
                    leftRight += rate;
                    scans++;
                }
            }
            if (!Double.isNaN(meanIoU)) {
                out.put(prediction, new Summary(meanIoU, scans == 0 ? Double.NaN : leftRight / scans));
            }
        }
        return out;
    }

    /** A result's evaluation as the gateway answers it, when the scan had reference labels. */
    private static Optional<EvaluationDocument> evaluation(JsonNode scanResult) {
        JsonNode e = scanResult.path("evaluation");
        if (!e.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.of(EVALUATION.treeToValue(e, EvaluationDocument.class));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("the evaluation of scan " + scanResult.path("scanId").asText()
                    + " in the gateway's answer is not an evaluation document: " + ex.getOriginalMessage(), ex);
        }
    }

    private static long lap(Map<String, Double> seconds, String phase, long since) {
        long now = System.nanoTime();
        seconds.put(phase, Math.round((now - since) / 1e8) / 10.0);
        return now;
    }
}
