package org.triplane.gateway.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The gateway's HTTP API as the tests call it. */
public final class Api {

    private final String baseUrl;

    /** @param baseUrl e.g. {@code http://127.0.0.1:41234} */
    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** @return a request against the gateway */
    public RequestSpecification request() {
        return given().baseUri(baseUrl);
    }

    /** @param name tenant name @return the new tenant's API key and id; it stores uploads de-identified (the default) */
    public Tenant createTenant(String name) {
        return createTenant(name, true);
    }

    /**
     * @param name              tenant name
     * @param deidentifyUploads whether it stores the NIfTI parts of its uploads de-identified
     * @return the new tenant's API key and id
     */
    public Tenant createTenant(String name, boolean deidentifyUploads) {
        Response r = request().header("X-Admin-Token", StackAndGateway.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("name", name, "deidentifyUploads", deidentifyUploads)).post("/api/v1/admin/tenants");
        if (r.statusCode() != 201) {
            throw new AssertionError("creating tenant " + name + ": " + r.statusCode() + " " + r.asString());
        }
        return new Tenant(UUID.fromString(r.path("tenantId")), r.path("apiKey"));
    }

    /** A tenant and its key. @param id tenant id @param apiKey its key */
    public record Tenant(UUID id, String apiKey) {
    }

    /** One multipart part. @param name part name @param fileName file name @param content bytes */
    public record Part(String name, String fileName, byte[] content) {
    }

    /** @param apiKey key @param parts parts @return the answer */
    public Response upload(String apiKey, List<Part> parts) {
        RequestSpecification r = request().header("X-Api-Key", apiKey);
        for (Part p : parts) {
            r = r.multiPart(p.name(), p.fileName(), p.content(), "application/octet-stream");
        }
        return r.post("/api/v1/scans");
    }

    /** One multipart part sent from a file, streamed. @param name part name @param file the file (its name is sent) */
    public record FilePart(String name, java.nio.file.Path file) {
    }

    /** @param apiKey key @param parts parts sent from files @return the answer */
    public Response uploadFiles(String apiKey, List<FilePart> parts) {
        RequestSpecification r = request().header("X-Api-Key", apiKey);
        for (FilePart p : parts) {
            r = r.multiPart(p.name(), p.file().toFile(), "application/octet-stream");
        }
        return r.post("/api/v1/scans");
    }

    /** @param apiKey key @param idempotencyKey key @param body the whole JSON body @return the answer */
    public Response submit(String apiKey, String idempotencyKey, Map<String, ?> body) {
        return request().header("X-Api-Key", apiKey).header("Idempotency-Key", idempotencyKey)
                .contentType("application/json").body(body).post("/api/v1/jobs");
    }

    /** @param apiKey key @param idempotencyKey key @param kind kind @param scanIds scans @return the answer */
    public Response submit(String apiKey, String idempotencyKey, String kind, List<UUID> scanIds) {
        return submit(apiKey, idempotencyKey, kind, scanIds, null);
    }

    /**
     * @param apiKey key @param idempotencyKey key @param kind kind @param scanIds scans
     * @param modelSetId the model set to run, or {@code null} for none named
     * @return the answer
     */
    public Response submit(String apiKey, String idempotencyKey, String kind, List<UUID> scanIds, UUID modelSetId) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("kind", kind);
        body.put("scanIds", scanIds.stream().map(UUID::toString).toList());
        if (modelSetId != null) {
            body.put("modelSetId", modelSetId.toString());
        }
        return request().header("X-Api-Key", apiKey).header("Idempotency-Key", idempotencyKey)
                .contentType("application/json").body(body).post("/api/v1/jobs");
    }
}
