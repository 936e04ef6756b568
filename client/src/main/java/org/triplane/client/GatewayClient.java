package org.triplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's REST API as a client outside the stack calls it. Every call checks its status
 * code and fails with a {@link GatewayException} naming the request, the status and the answer,
 * or a {@link GatewayUnreachableException} naming the gateway when no connection could be made.
 */
public final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "X-Api-Key";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Most rows the gateway puts in one page of a list. */
    private static final int MAX_PAGE = 1000;
    // why: a study-size CT is tens of MB; on a slow link its upload or download outlasts a plain call
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(15);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A tenant and its API key, through the admin endpoint. */
    public record Tenant(UUID id, String apiKey) {
    }

    /**
     * A job to submit.
     *
     * @param kind       {@code segment}, {@code evaluate} or {@code train}
     * @param scanIds    the caller's scans, without duplicates
     * @param parameters options recorded with the job (a JSON object; empty for none)
     * @param modelSetId model set a segment or evaluate job runs, or {@code null}
     */
    public record JobRequest(String kind, List<UUID> scanIds, Map<String, Object> parameters, UUID modelSetId) {
        public JobRequest {
            scanIds = List.copyOf(scanIds);
            parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
        }
    }

    /** A submitted job's summary; {@code created} is false when the key named an earlier job. */
    public record Submitted(JsonNode job, boolean created) {
        public UUID id() {
            return UUID.fromString(job.get("id").asText());
        }
    }

    /**
     * Filters of the audit list; {@code null} fields are left out.
     *
     * @param state      job state, e.g. {@code RUNNING}
     * @param modelSetId model set the jobs ran or produced
     * @param from       ISO-8601 instant, inclusive lower bound on the creation time
     * @param to         ISO-8601 instant, upper bound on the creation time
     * @param limit      at most this many, newest first
     */
    public record JobFilter(String state, UUID modelSetId, String from, String to, Integer limit) {
    }

    /** A model set's recorded fusion weights as the gateway answered; {@code created} is false when they were there before. */
    public record RecordedWeights(JsonNode weights, boolean created) {
    }

    /** A downloaded object: where it went, its size and the answer's content type. */
    public record Download(Path file, long bytes, String contentType) {
    }

    public Tenant createTenant(String adminToken, String name) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        JsonNode t = json(send(request("/api/v1/admin/tenants").header("X-Admin-Token", adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), 201));
        return new Tenant(UUID.fromString(t.get("tenantId").asText()), t.get("apiKey").asText());
    }

    /** Uploads a CT and its transform as multipart parts {@code ct} and {@code transform}; returns the scan. */
    public JsonNode uploadScan(String apiKey, Path ct, Path transform) throws IOException, InterruptedException {
        return uploadScan(apiKey, ct, transform, null);
    }

    /**
     * Uploads a scan as multipart parts {@code ct} and, when not {@code null}, {@code transform} (without
     * it the preprocess-worker derives the rotation from the atlas registration) and {@code labels},
     * streamed from the files; returns the scan (201).
     */
    public JsonNode uploadScan(String apiKey, Path ct, Path transform, Path labels) throws IOException, InterruptedException {
        Multipart m = new Multipart().file("ct", ct);
        if (transform != null) {
            m.file("transform", transform);
        }
        if (labels != null) {
            m.file("labels", labels);
        }
        return json(send(request("/api/v1/scans").timeout(TRANSFER_TIMEOUT).header(API_KEY, apiKey)
                .header("Content-Type", m.contentType()).POST(m.publisher()), 201));
    }

    /**
     * The caller's scans whose CT has this SHA-256 as uploaded or as stored
     * ({@code GET /api/v1/scans?ctSha256=}), oldest first when the gateway orders them so. Answers that
     * name neither are dropped.
     */
    public List<JsonNode> scansWithCtSha256(String apiKey, String sha256) throws IOException, InterruptedException {
        List<JsonNode> scans = new ArrayList<>();
        for (JsonNode s : pages(apiKey, "/api/v1/scans" + Query.of("ctSha256", sha256), Integer.MAX_VALUE, "scans")) {
            // why: a gateway that ignored the filter would otherwise hand back unrelated scans as matches
            if (hasCtSha256(s, sha256)) {
                scans.add(s);
            }
        }
        return scans;
    }

    /**
     * Whether a scan answer's CT is the file with this SHA-256: its checksum as uploaded
     * ({@code upload.ctSha256}; the stored object differs from the file when the gateway de-identified
     * or compressed it) or as stored ({@code ct.sha256}: the file's own when it was stored as sent,
     * and the only checksum of a scan stored before uploaded ones were recorded).
     */
    public static boolean hasCtSha256(JsonNode scan, String sha256) {
        return sha256.equalsIgnoreCase(scan.path("upload").path("ctSha256").asText())
                || sha256.equalsIgnoreCase(scan.path("ct").path("sha256").asText());
    }

    /**
     * Deletes a scan with everything derived from it ({@code DELETE /api/v1/scans/SCAN}); refused (409) while a
     * submitted or running job uses it.
     *
     * @return the deletion record: who, when, the scan's checksums, its jobs and each object removed with its SHA-256
     */
    public JsonNode deleteScan(String apiKey, UUID scanId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/scans/" + scanId).header(API_KEY, apiKey).DELETE(), 200));
    }

    public JsonNode scan(String apiKey, UUID scanId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/scans/" + scanId).header(API_KEY, apiKey).GET(), 200));
    }

    public JsonNode submitSegmentJob(String apiKey, String idempotencyKey, List<UUID> scanIds)
            throws IOException, InterruptedException {
        return submitJob(apiKey, idempotencyKey, new JobRequest("segment", scanIds, Map.of(), null)).job();
    }

    /** Submits a job under an idempotency key: 201 for a new job, 200 with the first job for a repeated key. */
    public Submitted submitJob(String apiKey, String idempotencyKey, JobRequest job) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("kind", job.kind());
        ArrayNode ids = body.putArray("scanIds");
        job.scanIds().forEach(id -> ids.add(id.toString()));
        body.set("parameters", JSON.valueToTree(job.parameters()));
        if (job.modelSetId() != null) {
            body.put("modelSetId", job.modelSetId().toString());
        }
        HttpResponse<String> r = send(request("/api/v1/jobs").header(API_KEY, apiKey).header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), 201, 200);
        return new Submitted(json(r), r.statusCode() == 201);
    }

    public JsonNode job(String apiKey, UUID jobId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/jobs/" + jobId).header(API_KEY, apiKey).GET(), 200));
    }

    /**
     * The audit list, newest first: job summaries without their parameters ({@code null}); {@link #job}
     * has them. Follows the list's pages ({@code Link: rel="next"}) up to the filter's limit, or to the
     * end without one.
     */
    public List<JsonNode> jobs(String apiKey, JobFilter filter) throws IOException, InterruptedException {
        int most = filter.limit() == null ? Integer.MAX_VALUE : filter.limit();
        Query q = new Query().add("state", filter.state()).add("modelSetId", filter.modelSetId())
                .add("from", filter.from()).add("to", filter.to()).add("limit", Math.min(most, MAX_PAGE));
        return pages(apiKey, "/api/v1/jobs" + q, most, "jobs");
    }

    /**
     * Cancels a job ({@code POST /api/v1/jobs/JOB/cancel}): it, its waiting and running tasks and its unfinished
     * scans become CANCELLED. Idempotent; a job that already succeeded or failed is refused (409).
     *
     * @return the job as the gateway answers it after the cancellation
     */
    public JsonNode cancelJob(String apiKey, UUID jobId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/jobs/" + jobId + "/cancel").header(API_KEY, apiKey)
                .POST(HttpRequest.BodyPublishers.noBody()), 200));
    }

    /**
     * A job's audit record ({@code GET /api/v1/jobs/JOB/audit}): the job, each input scan with its
     * checksums, grid, transform (origin uploaded or derived) and atlas registration, models, tasks
     * and transitions.
     */
    public JsonNode audit(String apiKey, UUID jobId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/jobs/" + jobId + "/audit").header(API_KEY, apiKey).GET(), 200));
    }

    /** A train job's training view. */
    public JsonNode training(String apiKey, UUID jobId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/jobs/" + jobId + "/training").header(API_KEY, apiKey).GET(), 200));
    }

    /** A job's results: per scan its outputs and statistics. */
    public JsonNode results(String apiKey, UUID jobId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/jobs/" + jobId + "/results").header(API_KEY, apiKey).GET(), 200));
    }

    /** A job's metrics as the gateway's JSON; {@code filters} are query parameters (plane, class, scanId). */
    public JsonNode metrics(String apiKey, UUID jobId, Map<String, String> filters) throws IOException, InterruptedException {
        Query q = new Query();
        filters.forEach(q::add);
        return json(send(request("/api/v1/jobs/" + jobId + "/metrics" + q).header(API_KEY, apiKey)
                .header("Accept", "application/json").GET(), 200));
    }

    /** A job's metrics as CSV ({@code format=csv}); {@code filters} as for {@link #metrics}. */
    public String metricsCsv(String apiKey, UUID jobId, Map<String, String> filters) throws IOException, InterruptedException {
        Query q = new Query().add("format", "csv");
        filters.forEach(q::add);
        return send(request("/api/v1/jobs/" + jobId + "/metrics" + q).header(API_KEY, apiKey)
                .header("Accept", "text/csv").GET(), 200).body();
    }

    /** A job's report: one HTML file holding its images, scripts and styles, which opens from disk. */
    public String report(String apiKey, UUID jobId) throws IOException, InterruptedException {
        // why: the gateway renders the images of scans not yet viewed first, seconds each for thin-slice scans
        return send(request("/api/v1/jobs/" + jobId + "/report").timeout(TRANSFER_TIMEOUT).header(API_KEY, apiKey)
                .header("Accept", "text/html").GET(), 200).body();
    }

    /**
     * A signed, expiring address of a job's report that a browser opens without the API key.
     *
     * @return the absolute URL
     */
    public String reportLink(String apiKey, UUID jobId) throws IOException, InterruptedException {
        JsonNode link = json(send(request("/api/v1/jobs/" + jobId + "/report/link").header(API_KEY, apiKey).GET(), 200));
        return baseUrl + link.path("url").asText();
    }

    /** The model registry, newest first. */
    public List<JsonNode> models(String apiKey, Integer limit) throws IOException, InterruptedException {
        return items(json(send(request("/api/v1/models" + new Query().add("limit", limit)).header(API_KEY, apiKey).GET(), 200)),
                "models");
    }

    /** The default model set (the shipped one the gateway registered), or empty when there is none (404). */
    public java.util.Optional<JsonNode> defaultModelSet(String apiKey) throws IOException, InterruptedException {
        try {
            return java.util.Optional.of(json(send(request("/api/v1/models/default").header(API_KEY, apiKey).GET(), 200)));
        } catch (GatewayException e) {
            if (e.status() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    public JsonNode modelSet(String apiKey, UUID modelSetId) throws IOException, InterruptedException {
        return json(send(request("/api/v1/models/" + modelSetId).header(API_KEY, apiKey).GET(), 200));
    }

    /**
     * Records a model set's learned fusion weights ({@code POST /api/v1/models/SET/fusion-weights}, the
     * body a {@code FusionWeightsDocument}): 201 when recorded now, 200 when the set has these weights
     * already; a set's weights never change, so other weights are refused (409).
     */
    public RecordedWeights recordFusionWeights(String apiKey, UUID modelSetId, JsonNode body)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(request("/api/v1/models/" + modelSetId + "/fusion-weights").header(API_KEY, apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), 201, 200);
        return new RecordedWeights(json(r), r.statusCode() == 201);
    }

    /**
     * Streams a gateway path (such as {@code /api/v1/scans/<id>/objects/ct}) or an absolute URL on
     * the gateway into {@code target}, written whole or not at all.
     */
    public Download download(String apiKey, String pathOrUrl, Path target) throws IOException, InterruptedException {
        URI uri = pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://") ? URI.create(pathOrUrl)
                : URI.create(baseUrl + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl);
        HttpRequest r = HttpRequest.newBuilder(uri).timeout(TRANSFER_TIMEOUT).header(API_KEY, apiKey).GET().build();
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
        try {
            HttpResponse<Path> response = exchange(r, HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                throw new GatewayException(r.method(), r.uri().toString(), response.statusCode(), Files.readString(partial));
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Download(target, Files.size(target), response.headers().firstValue("Content-Type").orElse(""));
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(CALL_TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int... expected) throws IOException, InterruptedException {
        HttpRequest r = request.build();
        HttpResponse<String> response = exchange(r, HttpResponse.BodyHandlers.ofString());
        for (int e : expected) {
            if (response.statusCode() == e) {
                return response;
            }
        }
        throw new GatewayException(r.method(), r.uri().toString(), response.statusCode(), response.body());
    }

    private <T> HttpResponse<T> exchange(HttpRequest r, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        try {
            return http.send(r, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new GatewayUnreachableException(baseUrl, e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + " with a body that is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The rows of a paged list: the first page, then each page its {@code Link: <...>; rel="next"} header names,
     * until there is none or {@code most} rows were read.
     */
    private List<JsonNode> pages(String apiKey, String firstPath, int most, String field)
            throws IOException, InterruptedException {
        List<JsonNode> rows = new ArrayList<>();
        URI next = URI.create(baseUrl + firstPath);
        while (next != null && rows.size() < most) {
            HttpResponse<String> page = send(HttpRequest.newBuilder(next).timeout(CALL_TIMEOUT).header(API_KEY, apiKey).GET(), 200);
            for (JsonNode row : items(json(page), field)) {
                if (rows.size() < most) {
                    rows.add(row);
                }
            }
            URI current = next;
            next = page.headers().firstValue("Link").flatMap(NextLink::of).map(current::resolve).orElse(null);
        }
        return rows;
    }

    /** The elements of a JSON array answer, or of the array under {@code field} of an object answer. */
    private static List<JsonNode> items(JsonNode answer, String field) {
        JsonNode array = answer.isArray() ? answer : answer.path(field).isArray() ? answer.get(field) : answer.path("items");
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** A query string of the non-null parameters, URL-encoded, with its leading {@code ?} (empty when none). */
    static final class Query {
        private final StringBuilder sb = new StringBuilder();

        static Query of(String name, Object value) {
            return new Query().add(name, value);
        }

        Query add(String name, Object value) {
            if (value != null && !value.toString().isBlank()) {
                sb.append(sb.length() == 0 ? '?' : '&').append(encode(name)).append('=').append(encode(value.toString()));
            }
            return this;
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
