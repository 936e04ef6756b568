package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.PartlySentRequest;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * A JSON body over {@code triplane.upload.max-json-bytes} (4 MiB by default) is refused with 413
 * naming the body: from its declared length before it is read, and when sent without a length
 * (chunked) as soon as it passes the limit; nothing of it becomes a job.
 */
class JsonBodyLimitIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    private static Api.Tenant tenant;

    @BeforeAll
    static void setUp() {
        tenant = new Api(env.gatewayUrl()).createTenant("json-limit-" + UUID.randomUUID());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws IOException {
        String status = new PartlySentRequest("/api/v1/jobs", "application/json",
                Map.of("X-Api-Key", tenant.apiKey(), "Idempotency-Key", UUID.randomUUID().toString()), 5L << 20)
                .statusLine(env.gatewayUrl(), "{\"kind\": \"segment\", \"x\": \"", 1 << 16);

        assertThat(status).startsWith("HTTP/1.1 413");
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
        byte[] start = "{\"kind\": \"segment\", \"scanIds\": [], \"parameters\": {\"padding\": \"".getBytes(StandardCharsets.US_ASCII);
        byte[] filler = "x".repeat(5 << 20).getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\"}}".getBytes(StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(URI.create(env.gatewayUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .header("X-Api-Key", tenant.apiKey())
                .header("Idempotency-Key", UUID.randomUUID().toString())
                // why: an input stream has no known length, so the client sends the body chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(new SequenceInputStream(
                        new ByteArrayInputStream(start), new ByteArrayInputStream(filler)), new ByteArrayInputStream(end))))
                .build();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "application/problem+json"));
        assertThat(answer.body()).contains("\"part\":\"body\"").contains("\"status\":413").contains("max-json-bytes");
        assertThat(new org.triplane.gateway.testing.Residue(env).jobRows(tenant.id())).isZero();
    }
}
