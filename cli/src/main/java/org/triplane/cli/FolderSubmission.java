package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.client.GatewayClient;
import org.triplane.imaging.checksum.Sha256;

/**
 * Submits a folder in the study's layout as one job, resumably. Every scan's files are hashed; a
 * scan whose CT the tenant already uploaded (same SHA-256 as uploaded, same transform, same labels
 * or none) is reused instead of uploaded again; the rest are uploaded with at most {@code parallel}
 * uploads at a time. The job then goes in under an {@code Idempotency-Key} derived from the checksums, kind,
 * parameters and model set ({@link SubmissionKey}), so running it again after an interruption, or
 * after it finished, ends with the same single job and no second copy of any scan.
 */
final class FolderSubmission {
    /** Progress of a submission; called from the upload threads, one call at a time. */
    interface Listener {
        /** A scan's files were hashed. */
        default void hashed(StudyLayout.ScanFiles files, int done, int total) {
        }

        /** A scan's upload starts (it was not found on the gateway). */
        default void uploading(StudyLayout.ScanFiles files) {
        }

        /** A scan is on the gateway: reused or just uploaded. Throwing here stops the submission. */
        void ready(ScanOutcome scan, int done, int total) throws IOException;
    }

    /**
     * What to submit.
     *
     * @param kind       {@code segment}, {@code evaluate} or {@code train}
     * @param parameters job parameters (a JSON object's members)
     * @param modelSetId model set for segment or evaluate, or {@code null}
     * @param parallel   at most this many uploads at once, at least 1
     */
    record Request(String kind, Map<String, Object> parameters, UUID modelSetId, int parallel) {
        Request {
            if (parallel < 1) {
                throw new IllegalArgumentException("parallel: must be at least 1, got " + parallel);
            }
            parameters = Map.copyOf(parameters);
        }
    }

    /**
     * One scan of the folder on the gateway.
     *
     * @param files     its files
     * @param checksums their SHA-256
     * @param scanId    the gateway's scan id
     * @param uploaded  true when uploaded by this run, false when an earlier upload was reused
     * @param bytes     bytes sent (0 when reused)
     * @param seconds   upload time (0 when reused)
     */
    record ScanOutcome(StudyLayout.ScanFiles files, SubmissionKey.ScanChecksums checksums, UUID scanId, boolean uploaded,
                       long bytes, double seconds) {
    }

    /**
     * The submitted job.
     *
     * @param jobId          its id
     * @param created        false when the key named a job an earlier run submitted
     * @param state          its state as the gateway answered
     * @param idempotencyKey the key it was submitted under
     * @param scans          the folder's scans in folder order
     */
    record Result(UUID jobId, boolean created, String state, String idempotencyKey, List<ScanOutcome> scans) {
        long uploaded() {
            return scans.stream().filter(ScanOutcome::uploaded).count();
        }
    }

    private final GatewayClient client;
    private final String apiKey;
    private final Listener listener;

    FolderSubmission(GatewayClient client, String apiKey, Listener listener) {
        this.client = client;
        this.apiKey = apiKey;
        this.listener = listener;
    }

    Result submit(Path dir, Request request) throws InputException, IOException, InterruptedException {
        List<StudyLayout.ScanFiles> files = StudyLayout.discover(dir);
        List<ScanOutcome> scans = ensureUploaded(files, request.parallel());
        String key = SubmissionKey.derive(request.kind(), scans.stream().map(ScanOutcome::checksums).toList(),
                request.parameters(), request.modelSetId());
        GatewayClient.Submitted job = client.submitJob(apiKey, key, new GatewayClient.JobRequest(request.kind(),
                scans.stream().map(ScanOutcome::scanId).toList(), request.parameters(), request.modelSetId()));
        return new Result(job.id(), job.created(), job.job().path("state").asText(), key, scans);
    }

    /**
     * Makes sure every scan is on the gateway (reused by checksum, else uploaded); returns them in
     * the given order. Two files with the same CT are refused, since a job takes a scan only once.
     */
    List<ScanOutcome> ensureUploaded(List<StudyLayout.ScanFiles> files, int parallel)
            throws InputException, IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "triplane-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger hashed = new AtomicInteger();
            List<Callable<SubmissionKey.ScanChecksums>> hashing = new ArrayList<>();
            for (StudyLayout.ScanFiles f : files) {
                hashing.add(() -> {
                    SubmissionKey.ScanChecksums c = checksums(f);
                    synchronized (listener) {
                        listener.hashed(f, hashed.incrementAndGet(), files.size());
                    }
                    return c;
                });
            }
            List<SubmissionKey.ScanChecksums> sums = all(pool, hashing);
            refuseDuplicates(files, sums);
            AtomicInteger ready = new AtomicInteger();
            List<Callable<ScanOutcome>> uploads = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                StudyLayout.ScanFiles f = files.get(i);
                SubmissionKey.ScanChecksums c = sums.get(i);
                uploads.add(() -> {
                    ScanOutcome outcome = reuseOrUpload(f, c);
                    synchronized (listener) {
                        listener.ready(outcome, ready.incrementAndGet(), files.size());
                    }
                    return outcome;
                });
            }
            return all(pool, uploads);
        } finally {
            pool.shutdownNow();
            // why: an upload still in flight when another failed must not land after submit has
            // returned; the caller (and a re-run) then sees every scan that will ever be stored
            pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    private ScanOutcome reuseOrUpload(StudyLayout.ScanFiles f, SubmissionKey.ScanChecksums c)
            throws IOException, InterruptedException {
        // why: a scan stored before the gateway recorded uploaded checksums has only the stored label checksum, which
        // is the file's only for a gzipped file stored as sent; an N-seg.nii is then matched on being there
        boolean labelsComparable = f.labels() == null || f.labels().getFileName().toString().endsWith(".gz");
        Optional<UUID> existing = sameScan(client.scansWithCtSha256(apiKey, c.ct()), c, labelsComparable);
        if (existing.isPresent()) {
            return new ScanOutcome(f, c, existing.get(), false, 0, 0);
        }
        synchronized (listener) {
            listener.uploading(f);
        }
        long t0 = System.nanoTime();
        JsonNode scan = client.uploadScan(apiKey, f.ct(), f.transform(), f.labels());
        long bytes = Files.size(f.ct()) + (f.transform() == null ? 0 : Files.size(f.transform()))
                + (f.labels() == null ? 0 : Files.size(f.labels()));
        return new ScanOutcome(f, c, UUID.fromString(scan.get("id").asText()), true, bytes, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Among the tenant's scans with this CT (by its checksum as uploaded, see
     * {@link GatewayClient#hasCtSha256}), the oldest whose transform and labels are these files too (a
     * scan uploaded with another transform or other labels is a different scan). Labels are compared
     * by their checksum as uploaded; for a scan stored before that was recorded, by the stored
     * checksum only when {@code compareStoredLabels}, else by presence. A CT without a transform file
     * matches a scan uploaded without one (its transform, if any, was derived).
     */
    static Optional<UUID> sameScan(List<JsonNode> candidates, SubmissionKey.ScanChecksums c, boolean compareStoredLabels) {
        return candidates.stream()
                .filter(s -> GatewayClient.hasCtSha256(s, c.ct()))
                .filter(s -> sameTransform(c.transform(), s))
                .filter(s -> sameLabels(c.labels(), s, compareStoredLabels))
                .min(Comparator.comparing((JsonNode s) -> createdAt(s)).thenComparing(s -> s.path("id").asText()))
                .map(s -> UUID.fromString(s.get("id").asText()));
    }

    /**
     * Whether a stored scan was uploaded with this transform file ({@code sha256}), or, for a CT
     * without one ({@code null}), without any (a transform the worker derived since does not count).
     */
    private static boolean sameTransform(String sha256, JsonNode scan) {
        boolean derived = "derived".equals(scan.path("transformOrigin").asText());
        JsonNode t = scan.path("transform");
        boolean uploaded = !derived && !t.isMissingNode() && !t.isNull();
        return sha256 == null ? !uploaded : uploaded && sha256.equals(t.path("sha256").asText());
    }

    /** Whether a stored scan was uploaded with this label file ({@code sha256}), or, for {@code null}, without labels. */
    private static boolean sameLabels(String sha256, JsonNode scan, boolean compareStored) {
        JsonNode labels = scan.path("labels");
        boolean none = labels.isMissingNode() || labels.isNull();
        if (sha256 == null || none) {
            return sha256 == null && none;
        }
        String uploaded = scan.path("upload").path("labelsSha256").asText(null);
        if (uploaded != null) {
            return sha256.equals(uploaded);
        }
        return !compareStored || sha256.equals(labels.path("sha256").asText());
    }

    private static Instant createdAt(JsonNode scan) {
        try {
            return Instant.parse(scan.path("createdAt").asText());
        } catch (RuntimeException e) {
            return Instant.MAX;
        }
    }

    private static SubmissionKey.ScanChecksums checksums(StudyLayout.ScanFiles f) throws IOException {
        return new SubmissionKey.ScanChecksums(Sha256.of(f.ct()), f.transform() == null ? null : Sha256.of(f.transform()),
                f.labels() == null ? null : Sha256.of(f.labels()));
    }

    private static void refuseDuplicates(List<StudyLayout.ScanFiles> files, List<SubmissionKey.ScanChecksums> sums)
            throws InputException {
        Map<String, Path> seen = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path earlier = seen.putIfAbsent(sums.get(i).ct(), files.get(i).ct());
            if (earlier != null) {
                throw new InputException(files.get(i).ct() + " and " + earlier.getFileName() + " hold the same CT (SHA-256 "
                        + sums.get(i).ct() + "); a job takes each scan once");
            }
        }
    }

    /** Runs the tasks on the pool and returns their results in order; the first failure stops the rest. */
    private static <T> List<T> all(ExecutorService pool, List<Callable<T>> tasks) throws IOException, InterruptedException {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> t : tasks) {
            futures.add(pool.submit(t));
        }
        List<T> out = new ArrayList<>();
        try {
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
    }
}
