package org.triplane.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.triplane.client.GatewayClient;
import org.triplane.client.GatewayException;

/**
 * A busy hospital on the local stack: several tenants at once, each uploading its CTs (the CT
 * alone, as users have them), submitting one segment job per scan as soon as it is stored,
 * following its jobs and, while later ones still run, opening each finished job's report with its
 * nine overlay images. Every request's status and latency is recorded; at the end every job must
 * have SUCCEEDED exactly once (one transition to SUCCEEDED, one result, one succeeded task per
 * stage and plane).
 *
 * <pre>
 * java -cp ... org.triplane.benchmarks.load.LoadRun GATEWAY_URL ADMIN_TOKEN SCANS_DIR TENANTS
 * </pre>
 * SCANS_DIR holds one folder per tenant ({@code t1 .. tN}) of {@code K.nii.gz} CTs.
 * Prints the latency table and the checks; exits 1 when any answer was a 5xx (or no answer) or a
 * job did not complete exactly once.
 */
public final class LoadRun {

    private static final long POLL_MS = 2000;

    private final GatewayClient gateway;
    private final Latencies latencies = new Latencies();
    private final Map<UUID, String> failures = new ConcurrentHashMap<>();

    private LoadRun(String url) {
        this.gateway = new GatewayClient(url);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String adminToken = args[1];
        Path scans = Path.of(args[2]);
        int tenants = Integer.parseInt(args[3]);
        LoadRun run = new LoadRun(url);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(tenants);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 1; t <= tenants; t++) {
            GatewayClient.Tenant tenant = run.timed("create tenant",
                    () -> run.gateway.createTenant(adminToken, "load-" + UUID.randomUUID()));
            Path folder = scans.resolve("t" + t);
            done.add(pool.submit(() -> run.tenant(tenant, folder)));
        }
        int jobs = 0;
        for (Future<Integer> f : done) {
            jobs += f.get();
        }
        pool.shutdown();
        double minutes = (System.nanoTime() - start) / 60e9;
        System.out.print(run.latencies.table());
        long serverErrors = run.latencies.count(s -> s >= 500 || s == 0);
        System.out.printf(Locale.ROOT, "jobs %d, %.1f min, %.0f scans/hour; 5xx or no answer: %d; jobs not completed "
                + "exactly once: %d%n", jobs, minutes, jobs / minutes * 60, serverErrors, run.failures.size());
        run.failures.forEach((job, why) -> System.out.println("  job " + job + ": " + why));
        System.exit(serverErrors == 0 && run.failures.isEmpty() ? 0 : 1);
    }

    /** One tenant's work: upload and submit every scan, then follow the jobs and read the reports. */
    private int tenant(GatewayClient.Tenant tenant, Path folder) throws Exception {
        List<Path> cts;
        try (Stream<Path> files = Files.list(folder)) {
            cts = files.filter(p -> p.getFileName().toString().matches("\\d+\\.nii\\.gz"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<UUID> open = new ArrayList<>();
        List<UUID> all = new ArrayList<>();
        for (Path ct : cts) {
            JsonNode scan = timed("upload scan", () -> gateway.uploadScan(tenant.apiKey(), ct, null));
            UUID scanId = UUID.fromString(scan.get("id").asText());
            JsonNode job = timed("submit job", () -> gateway.submitSegmentJob(tenant.apiKey(), "load-" + scanId,
                    List.of(scanId)));
            UUID jobId = UUID.fromString(job.get("id").asText());
            open.add(jobId);
            all.add(jobId);
            follow(tenant, open);
        }
        while (!open.isEmpty()) {
            Thread.sleep(POLL_MS);
            follow(tenant, open);
        }
        for (UUID job : all) {
            checkExactlyOnce(tenant, job);
        }
        return all.size();
    }

    /** Polls the open jobs once; a job that has finished gets its report read and leaves the list. */
    private void follow(GatewayClient.Tenant tenant, List<UUID> open) throws Exception {
        timed("list jobs", () -> gateway.jobs(tenant.apiKey(), new GatewayClient.JobFilter(null, null, null, null, 20)));
        for (UUID job : List.copyOf(open)) {
            String state = timed("job status", () -> gateway.job(tenant.apiKey(), job)).get("state").asText();
            switch (state) {
                case "SUCCEEDED" -> {
                    readReport(tenant, job);
                    open.remove(job);
                }
                case "FAILED", "CANCELLED" -> {
                    failures.put(job, "ended " + state);
                    open.remove(job);
                }
                default -> {
                }
            }
        }
    }

    private void readReport(GatewayClient.Tenant tenant, UUID job) throws Exception {
        String html = timed("report page", () -> gateway.report(tenant.apiKey(), job));
        String link = timed("report link", () -> gateway.reportLink(tenant.apiKey(), job));
        String token = link.substring(link.indexOf("token=") + "token=".length());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/reports/" + job + "/scans/([0-9a-f-]+)/overlays/")
                .matcher(html);
        if (!m.find()) {
            failures.put(job, "report without overlay images");
            return;
        }
        String scan = m.group(1);
        Path tmp = Files.createTempDirectory("load-overlay");
        try {
            for (String plane : List.of("axial", "coronal", "sagittal")) {
                for (int i = 0; i < 3; i++) {
                    String path = "/reports/" + job + "/scans/" + scan + "/overlays/" + plane + "/" + i + ".png?token=" + token;
                    Path target = tmp.resolve(plane + i + ".png");
                    timed("overlay image", () -> gateway.download(tenant.apiKey(), path, target));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One transition of the job to SUCCEEDED, one result, one succeeded task per stage and plane. */
    private void checkExactlyOnce(GatewayClient.Tenant tenant, UUID job) throws Exception {
        JsonNode audit = timed("audit", () -> gateway.audit(tenant.apiKey(), job));
        long succeeded = 0;
        for (JsonNode t : audit.path("transitions")) {
            if ("JOB".equals(t.path("entity").asText()) && "SUCCEEDED".equals(t.path("to").asText())) {
                succeeded++;
            }
        }
        Map<String, Integer> tasks = new java.util.TreeMap<>();
        for (JsonNode t : audit.path("tasks")) {
            if ("SUCCEEDED".equals(t.path("state").asText())) {
                tasks.merge(t.path("kind").asText() + "/" + t.path("plane").asText(), 1, Integer::sum);
            }
        }
        int results = audit.path("results").size();
        boolean once = succeeded == 1 && results == 1 && tasks.size() == 5 && tasks.values().stream().allMatch(n -> n == 1);
        if (!once) {
            failures.put(job, "transitions to SUCCEEDED " + succeeded + ", results " + results + ", succeeded tasks " + tasks);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    private <T> T timed(String kind, Call<T> call) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try {
            T result = call.call();
            latencies.add(kind, 200, (System.nanoTime() - t0) / 1e6);
            return result;
        } catch (GatewayException e) {
            latencies.add(kind, e.status(), (System.nanoTime() - t0) / 1e6);
            throw e;
        } catch (IOException e) {
            latencies.add(kind, 0, (System.nanoTime() - t0) / 1e6);
            throw e;
        }
    }
}
