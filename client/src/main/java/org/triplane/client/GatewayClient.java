package org.triplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's REST API as a client outside the stack calls it. Every call checks its status
 * code and fails with an {@link IOException} naming the request, the status and the answer.
 */
public final class GatewayClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public GatewayClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A tenant and its API key, through the admin endpoint. */
    public record Tenant(UUID id, String apiKey) {
    }

    public Tenant createTenant(String adminToken, String name) throws IOException, InterruptedException {
        JsonNode t = send(request("/api/v1/admin/tenants").header("X-Admin-Token", adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name)))), 201);
        return new Tenant(UUID.fromString(t.get("tenantId").asText()), t.get("apiKey").asText());
    }

    /** Uploads a CT and its transform as multipart parts {@code ct} and {@code transform}; returns the scan. */
    public JsonNode uploadScan(String apiKey, Path ct, Path transform) throws IOException, InterruptedException {
        Multipart m = new Multipart()
                .file("ct", ct.getFileName().toString(), Files.readAllBytes(ct))
                .file("transform", transform.getFileName().toString(), Files.readAllBytes(transform));
        return send(request("/api/v1/scans").header("X-Api-Key", apiKey).header("Content-Type", m.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(m.bytes())), 201);
    }

    public JsonNode submitSegmentJob(String apiKey, String idempotencyKey, List<UUID> scanIds)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("kind", "segment",
                "scanIds", scanIds.stream().map(UUID::toString).toList()));
        return send(request("/api/v1/jobs").header("X-Api-Key", apiKey).header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 201);
    }

    public JsonNode job(String apiKey, UUID jobId) throws IOException, InterruptedException {
        return send(request("/api/v1/jobs/" + jobId).header("X-Api-Key", apiKey).GET(), 200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    private JsonNode send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpRequest r = request.build();
        HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(r.method() + " " + r.uri() + " answered " + response.statusCode() + " (expected "
                    + expected + "): " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
