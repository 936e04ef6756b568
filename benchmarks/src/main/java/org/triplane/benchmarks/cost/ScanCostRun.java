package org.triplane.benchmarks.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.ComponentStatus;
import org.triplane.deploy.local.LocalStack;
import org.triplane.deploy.local.StackConfig;
import org.triplane.deploy.local.StackProperties;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;

/**
 * The per-scan cost of the pipeline on the local stack (benchmarks/scan-cost.sh, BENCHMARKS.md): N
 * study-size synthetic scans (512×512×110 with their transform files and labels) uploaded once; a
 * model set trained for the purpose as a TRAIN job (the {@code small} U-Net per plane, atlas inputs,
 * 3 mm model grid, 1 epoch on the first scans: the cheapest honest set on a coarse grid — its networks
 * cost what any set of that preset and grid costs, whatever its accuracy); then, for each number of
 * gpu-workers, a warm-up evaluate job and the measured evaluate job of all N scans. Each measured job
 * is reported per stage and per scan ({@link CostReport}): CPU seconds of every process of the stack
 * ({@link ProcessCpu}), the tasks' recorded wall seconds by phase, bytes read and written
 * ({@link ObjectFlow}), decode and compress CPU ({@link CodecReplay}), each also for the same objects
 * as gzip NIfTI-1 as every volume was stored before volume objects, and scans per hour.
 *
 * <p>The stack's data goes to {@code OUT/stack}; its ports come from the environment as for {@code triplane stack}
 * ({@code TRIPLANE_PG_PORT}, ...). It is started here and stopped at the end. Text to standard output and
 * {@code OUT/scan-cost.txt}, the figures as JSON in {@code OUT/scan-cost.json}, progress to standard error.
 */
public final class ScanCostRun {
    private static final Duration JOB_TIMEOUT = Duration.ofHours(4);
    private static final long POLL_MS = 2000;

    private final RunOptions options;
    private final GatewayClientHolder gateway = new GatewayClientHolder();

    private ScanCostRun(RunOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scan-cost: " + e.getMessage() + " (benchmarks/scan-cost.sh --help lists the options)");
            System.exit(2);
            return;
        }
        new ScanCostRun(options).run();
    }

    private void run() throws Exception {
        Files.createDirectories(options.out());
        List<ObjectFlow.Scan> uploaded = null;
        UUID modelSet = null;
        String trainedBy = null;
        List<Map<String, Object>> passes = new ArrayList<>();
        StringBuilder text = new StringBuilder(Machine.describe()).append('\n').append(options.describe()).append('\n');
        int most = options.gpuWorkers().stream().mapToInt(Integer::intValue).max().orElseThrow();
        try {
            Path scans = scans();
            for (int workers : options.gpuWorkers()) {
                StackConfig config = config(workers);
                progress("stack: up with %d gpu-worker(s)", workers);
                new LocalStack(config, (component, message) -> progress("  %s: %s", component, message)).up();
                if (uploaded == null) {
                    gateway.connect(config);
                    uploaded = upload(scans);
                    UUID trainJob = train(uploaded.subList(0, options.trainScans()));
                    modelSet = UUID.fromString(gateway.job(trainJob).path("modelSetId").asText());
                    trainedBy = "TRAIN job " + trainJob + " (small, atlas inputs, 3 mm grid, 1 epoch on " + options.trainScans()
                            + " scans, 1 of them for validation)";
                }
                if (options.warmup() > 0) {
                    List<ObjectFlow.Scan> warm = uploaded.subList(0, Math.min(uploaded.size(), options.warmup() * workers));
                    progress("warm-up: evaluate job of %d scan(s)", warm.size());
                    await(evaluate(warm, modelSet, "warmup-" + workers));
                }
                Measured m = measure(config, uploaded, modelSet, workers, trainedBy);
                text.append('\n').append(m.report().text());
                System.out.print(m.report().text());
                passes.add(m.json());
                Files.writeString(options.out().resolve("scan-cost.txt"), text.toString());
            }
        } finally {
            progress("stack: down");
            new LocalStack(config(most), (component, message) -> progress("  %s: %s", component, message)).down();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", Machine.describe());
        json.put("settings", options.describe());
        json.put("passes", passes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().resolve("scan-cost.json").toFile(), json);
    }

    private StackConfig config(int gpuWorkers) {
        // why: the benchmark's own data directory, never a developer's stack; ports from the environment
        return StackConfig.fromEnvironment().setDataDir(options.out().resolve("stack")).optServicesRequired(true)
                .optGpuWorkers(gpuWorkers).build();
    }

    /** The study-size scans in {@code OUT/scans}, generated unless a previous run left them (same seed, same files). */
    private Path scans() throws IOException {
        Path dir = options.out().resolve("scans-" + options.scans() + "-seed" + options.seed());
        if (!Files.isRegularFile(dir.resolve(PhantomDataset.segFileName(options.scans())))) {
            progress("scans: writing %d study-size synthetic scans to %s", options.scans(), dir);
            PhantomDataset.write(PhantomSpec.study(options.seed()), dir, options.scans(),
                    (done, total, s) -> progress("  %d/%d %s", done, total, s.ctFile()));
        }
        return dir;
    }

    private List<ObjectFlow.Scan> upload(Path dir) throws IOException, InterruptedException {
        List<ObjectFlow.Scan> scans = new ArrayList<>();
        for (int i = 1; i <= options.scans(); i++) {
            JsonNode s = gateway.client().uploadScan(gateway.apiKey(), dir.resolve(PhantomDataset.ctFileName(i)),
                    dir.resolve(PhantomDataset.transformFileName(i)), dir.resolve(PhantomDataset.segFileName(i)));
            scans.add(new ObjectFlow.Scan(UUID.fromString(s.path("id").asText()), s.path("ct").path("key").asText(),
                    s.path("transform").path("key").asText(), s.path("labels").path("key").asText()));
            progress("upload: %d/%d", i, options.scans());
        }
        return scans;
    }

    private UUID train(List<ObjectFlow.Scan> scans) throws IOException, InterruptedException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("preset", "small");
        p.put("inputs", "atlas");
        p.put("gridSpacingMm", 3.0);
        p.put("epochs", 1);
        p.put("validationScans", 1);
        p.put("seed", 42);
        p.put("modelSetName", "scan-cost-" + UUID.randomUUID());
        UUID job = gateway.client().submitJob(gateway.apiKey(), "scan-cost-train-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("train", scans.stream().map(ObjectFlow.Scan::id).toList(), p, null)).id();
        progress("train: job %s", job);
        await(job);
        return job;
    }

    private UUID evaluate(List<ObjectFlow.Scan> scans, UUID modelSet, String what) throws IOException, InterruptedException {
        return gateway.client().submitJob(gateway.apiKey(), "scan-cost-" + what + "-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("evaluate", scans.stream().map(ObjectFlow.Scan::id).toList(),
                        Map.of("fusion", "majority"), modelSet)).id();
    }

    /** Polls the job until it ends; @return the job's record @throws IllegalStateException when it did not succeed in time */
    private JsonNode await(UUID jobId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        String last = "";
        while (true) {
            JsonNode job = gateway.job(jobId);
            String state = job.path("state").asText();
            String line = state + " " + taskCounts(job);
            if (!line.equals(last)) {
                progress("  job %s: %s", jobId, line);
                last = line;
            }
            switch (state) {
                case "SUCCEEDED" -> {
                    return job;
                }
                case "FAILED", "CANCELLED" -> throw new IllegalStateException("job " + jobId + " ended " + state + ": "
                        + job.path("error").asText() + " (logs under " + config(1).dataDir().resolve("logs") + ")");
                default -> {
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " did not end within " + JOB_TIMEOUT + ": " + line);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static String taskCounts(JsonNode job) {
        Map<String, Integer> done = new LinkedHashMap<>();
        for (JsonNode t : job.path("tasks")) {
            done.merge(t.path("kind").asText() + " " + t.path("state").asText(), 1, Integer::sum);
        }
        return done.toString();
    }

    /** A measured job: its report and the same figures for the JSON file. */
    private record Measured(CostReport report, Map<String, Object> json) {
    }

    private Measured measure(StackConfig config, List<ObjectFlow.Scan> scans, UUID modelSet, int workers, String trainedBy)
            throws IOException, InterruptedException {
        LocalStack stack = new LocalStack(config);
        String loadBefore = Machine.loadAverage();
        Map<String, Long> before = cpuTicks(stack);
        UUID jobId = evaluate(scans, modelSet, "measured-" + workers);
        progress("measured: evaluate job %s of %d scans, %d gpu-worker(s)", jobId, scans.size(), workers);
        JsonNode job = await(jobId);
        Map<String, Long> after = cpuTicks(stack);
        String loadAfter = Machine.loadAverage();

        Map<String, StageCost> stages = new LinkedHashMap<>();
        ObjectFlow.STAGES.forEach(s -> stages.put(s, new StageCost(s)));
        for (JsonNode t : job.path("tasks")) {
            if (!"SUCCEEDED".equals(t.path("state").asText())) {
                continue;
            }
            String stage = switch (t.path("kind").asText()) {
                case "PREPROCESS" -> "preprocess";
                case "PLANE" -> t.path("plane").asText().toLowerCase(Locale.ROOT);
                case "FUSION" -> "fusion";
                default -> throw new IllegalStateException("evaluate job " + jobId + " has a task of kind " + t.path("kind"));
            };
            double wall = Duration.between(Instant.parse(t.path("startedAt").asText()), Instant.parse(t.path("finishedAt").asText()))
                    .toNanos() / 1e9;
            stages.get(stage).addTask(wall, TaskTimings.seconds(t.path("timings").toString()));
        }
        progress("measured: replaying the codec on the job's objects");
        Path scratch = Files.createTempDirectory(options.out(), "replay");
        CodecReplay replay = new CodecReplay(config.componentDir("objectstore").resolve("blobs").resolve(StackConfig.BUCKET), scratch);
        UUID tenant = gateway.tenant();
        for (ObjectFlow.Scan s : scans) {
            ObjectFlow.of(tenant, jobId, s).forEach((stage, io) -> {
                StageCost c = stages.get(stage);
                io.reads().forEach(k -> {
                    CodecReplay.Figures f = replay.of(k);
                    c.now().addRead(f.size(), f.decodeSeconds());
                    c.before().addRead(f.niftiSize(), f.niftiDecode());
                });
                io.writes().forEach(k -> {
                    CodecReplay.Figures f = replay.of(k);
                    c.now().addWritten(f.size(), f.encodeSeconds());
                    c.before().addWritten(f.niftiSize(), f.niftiEncode());
                });
            });
        }
        Files.deleteIfExists(scratch);

        Map<String, Double> cpu = new LinkedHashMap<>();
        after.forEach((component, ticks) -> {
            Long was = before.get(component);
            if (was != null) {
                cpu.put(component, (ticks - was) / (double) options.clockTicks());
            }
        });
        double wall = Duration.between(Instant.parse(job.path("createdAt").asText()), Instant.parse(job.path("finishedAt").asText()))
                .toNanos() / 1e9;
        String title = String.format(Locale.ROOT, "== %d gpu-worker(s): evaluate job %s, model set %s from %s; load average "
                + "before %s, after %s", workers, jobId, modelSet, trainedBy, loadBefore, loadAfter);
        CostReport report = new CostReport(title, scans.size(), wall, List.copyOf(stages.values()), cpu);
        Map<String, Object> json = report.toMap();
        json.put("gpuWorkers", workers);
        json.put("jobId", jobId.toString());
        json.put("modelSetId", modelSet.toString());
        json.put("loadAverageBefore", loadBefore);
        json.put("loadAverageAfter", loadAfter);
        return new Measured(report, json);
    }

    /** Component → CPU ticks of its process tree, for every component of the stack that runs. */
    private static Map<String, Long> cpuTicks(LocalStack stack) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (ComponentStatus c : stack.status().components()) {
            if (c.pid() != null) {
                ProcessCpu.treeTicks(c.pid()).ifPresent(t -> ticks.put(c.name(), t));
            }
        }
        return ticks;
    }

    private static void progress(String format, Object... args) {
        System.err.println("[" + Instant.now().toString().substring(11, 19) + "] " + String.format(Locale.ROOT, format, args));
    }

    /** The gateway, the tenant this run creates and its key, once the stack is up. */
    private static final class GatewayClientHolder {
        private GatewayClient client;
        private GatewayClient.Tenant tenant;

        void connect(StackConfig config) throws IOException, InterruptedException {
            Properties p = StackProperties.read(config.dataDir());
            client = new GatewayClient(p.getProperty(StackProperties.GATEWAY_URL));
            tenant = client.createTenant(p.getProperty(StackProperties.GATEWAY_ADMIN_TOKEN), "scan-cost-" + UUID.randomUUID());
        }

        GatewayClient client() {
            return client;
        }

        String apiKey() {
            return tenant.apiKey();
        }

        UUID tenant() {
            return tenant.id();
        }

        JsonNode job(UUID id) throws IOException, InterruptedException {
            return client.job(tenant.apiKey(), id);
        }
    }
}
