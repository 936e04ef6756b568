package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.Residue;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.messaging.EventCodec;
import org.triplane.testing.TopicReader;

/** Three phantom scans uploaded, one job submitted twice: events, state and log as expected. */
class UploadAndSubmitIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Phantoms phantoms;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        phantoms = Phantoms.write(dir);
    }

    private static List<Api.Part> parts(Phantoms.Subject s) {
        return List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                new Api.Part("transform", "transform.txt", Phantoms.bytes(s.transform())),
                new Api.Part("labels", "labels.nii.gz", Phantoms.bytes(s.labels())));
    }

    @Test
    void threeScansAndOneJobGiveThreeEventsOnceEvenWhenResubmitted() throws Exception {
        Api.Tenant tenant = api.createTenant("hospital-" + UUID.randomUUID());
        List<UUID> scanIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response r = api.upload(tenant.apiKey(), parts(phantoms.subject(i)));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
            JsonPath body = r.jsonPath();
            assertThat(body.getList("geometry.dims", Integer.class)).containsExactly(48, 48, 24);
            assertThat(body.getString("ct.sha256")).hasSize(64);
            assertThat(body.getList("rotation.parameters")).hasSize(12);
            assertThat(body.getString("labels.key")).startsWith("tenants/" + tenant.id() + "/scans/");
            scanIds.add(UUID.fromString(body.getString("id")));
        }
        byte[] download = api.request().header("X-Api-Key", tenant.apiKey())
                .get("/api/v1/scans/" + scanIds.get(0) + "/objects/ct").then().statusCode(200).extract().asByteArray();
        // why: the tenant de-identifies (the default), and a phantom's header has nothing to remove: the stored
        // CT is the same NIfTI file, compressed anew
        assertThat(Phantoms.gunzip(download)).isEqualTo(Phantoms.gunzip(phantoms.subject(0).ct()));

        EventCodec codec = new EventCodec();
        try (TopicReader reader = new TopicReader(env.stack().kafkaBootstrap(), Topics.SCAN_EVENTS)) {
            Map<String, Object> request = Map.of("kind", "segment", "scanIds", scanIds.stream().map(UUID::toString).toList(),
                    "modelSetId", env.modelSet().toString(), "parameters", Map.of("fusion", "confidence"));
            Response first = api.submit(tenant.apiKey(), "batch-1", request);
            assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
            UUID jobId = UUID.fromString(first.path("id"));

            List<ConsumerRecord<String, String>> events = reader.readUntil(3, Duration.ofSeconds(30));
            assertThat(events).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrderElementsOf(scanIds.stream().map(UUID::toString).toList());
            for (ConsumerRecord<String, String> e : events) {
                ScanEvent event = codec.decodeScanEvent(e.value());
                assertThat(event.jobId()).isEqualTo(jobId);
                assertThat(event.tenantId()).isEqualTo(tenant.id());
                assertThat(event.key()).isEqualTo(e.key());
                assertThat(event.ctKey()).endsWith("/ct.nii.gz");
                assertThat(event.labelsKey()).endsWith("/labels.nii.gz");
            }

            Response again = api.submit(tenant.apiKey(), "batch-1", request);
            assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
            assertThat(again.<String>path("id")).isEqualTo(jobId.toString());
            // why the outbox: the resubmission committed any event it appended before it answered, and the relay marks
            // a row published only once the broker acknowledged it; with none left unpublished, every event either
            // submission made is below the topic's end offsets
            awaitPublished(tenant.id());
            assertThat(reader.readToEnd(Duration.ofSeconds(30))).as("no second event").isEmpty();

            JsonPath job = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs/" + jobId)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(job.getString("kind")).isEqualTo("SEGMENT");
            assertThat(job.getString("state")).isEqualTo("SUBMITTED");
            assertThat(job.getString("requestedBy")).startsWith("api-key:");
            assertThat(job.getString("parameters.fusion")).isEqualTo("confidence");
            assertThat(job.getList("scans.state")).containsOnly("PENDING").hasSize(3);
            assertThat(job.getList("transitions.entity")).contains("JOB");
            assertThat(job.getString("transitions.find { it.entity == 'JOB' }.to")).isEqualTo("SUBMITTED");
            assertThat(job.getString("createdAt")).isNotBlank();
        }
        assertThat(new Residue(env).outboxRows(tenant.id())).isEqualTo(3);

        JsonPath list = api.request().header("X-Api-Key", tenant.apiKey()).queryParam("state", "submitted")
                .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("id")).hasSize(1);
        assertThat(list.getList("parameters")).as("a list leaves parameters to the job's own answer").containsOnlyNulls();
        assertThat(api.request().header("X-Api-Key", tenant.apiKey()).queryParam("from", "2999-01-01T00:00:00Z")
                .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("id")).isEmpty();
    }

    /** Waits until the gateway's relay has published every outbox row of the tenant. */
    private static void awaitPublished(UUID tenant) {
        Residue residue = new Residue(env);
        await("the relay publishing every outbox row of tenant " + tenant).atMost(Duration.ofSeconds(30))
                .until(() -> residue.unpublishedOutboxRows(tenant), n -> n == 0);
    }

    @Test
    void uncompressedUploadIsStoredCompressedWithTheStoredChecksum() throws Exception {
        Api.Tenant tenant = api.createTenant("raw-" + UUID.randomUUID());
        Phantoms.Subject s = phantoms.subject(0);
        byte[] raw = Phantoms.gunzip(s.ct());

        JsonPath body = api.upload(tenant.apiKey(), List.of(new Api.Part("ct", "ct.nii", raw),
                new Api.Part("transform", "t.txt", Phantoms.bytes(s.transform())))).then().statusCode(201).extract().jsonPath();
        byte[] stored = api.request().header("X-Api-Key", tenant.apiKey())
                .get("/api/v1/scans/" + body.getString("id") + "/objects/ct").then().statusCode(200).extract().asByteArray();

        assertThat(stored[0] & 0xff).isEqualTo(0x1f);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(stored))) {
            assertThat(in.readAllBytes()).isEqualTo(raw);
        }
        assertThat(body.getLong("ct.sizeBytes")).isEqualTo(stored.length);
        assertThat(body.getString("ct.sha256")).isEqualTo(Phantoms.sha256(stored));
        assertThat(body.getString("upload.ctSha256")).isEqualTo(Phantoms.sha256(raw));
    }

    @Test
    void aScanWithoutATransformIsAcceptedAndItsEventAnnouncesNone() {
        Api.Tenant tenant = api.createTenant("bare-" + UUID.randomUUID());
        Phantoms.Subject s = phantoms.subject(2);

        JsonPath body = api.upload(tenant.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct()))))
                .then().statusCode(201).extract().jsonPath();
        UUID scan = UUID.fromString(body.getString("id"));

        assertThat(body.getString("transform")).isNull();
        assertThat(body.getString("rotation")).isNull();
        assertThat(body.getString("transformOrigin")).isNull();
        api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/scans/" + scan + "/objects/transform")
                .then().statusCode(404);
        try (TopicReader reader = new TopicReader(env.stack().kafkaBootstrap(), Topics.SCAN_EVENTS)) {
            assertThat(api.submit(tenant.apiKey(), "bare-1", "segment", List.of(scan), env.modelSet()).statusCode()).isEqualTo(201);
            List<ConsumerRecord<String, String>> events = reader.readUntil(1, Duration.ofSeconds(30));
            ScanEvent event = new EventCodec().decodeScanEvent(events.get(0).value());
            assertThat(event.scanId()).isEqualTo(scan);
            assertThat(event.transformKey()).isNull();
        }
    }

    @Test
    void sameKeyForADifferentRequestIsUnprocessable() {
        Api.Tenant tenant = api.createTenant("conflict-" + UUID.randomUUID());
        UUID scan = UUID.fromString(api.upload(tenant.apiKey(), parts(phantoms.subject(1))).path("id"));

        assertThat(api.submit(tenant.apiKey(), "k", "segment", List.of(scan), env.modelSet()).statusCode()).isEqualTo(201);
        Response conflict = api.submit(tenant.apiKey(), "k", "evaluate", List.of(scan), env.modelSet());

        assertThat(conflict.statusCode()).isEqualTo(422);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        assertThat(conflict.<String>path("part")).isEqualTo("Idempotency-Key");
    }

    @Test
    void malformedJobRequestsNameTheField() {
        Api.Tenant tenant = api.createTenant("malformed-" + UUID.randomUUID());

        Response badJson = api.request().header("X-Api-Key", tenant.apiKey()).header("Idempotency-Key", "x")
                .contentType("application/json").body("{\"kind\": \"segment\", \"scanIds\": [\"not-a-uuid\"]}")
                .post("/api/v1/jobs");
        assertThat(badJson.statusCode()).as(badJson.asString()).isEqualTo(400);
        assertThat(badJson.<String>path("part")).isEqualTo("body");

        Response noKey = api.request().header("X-Api-Key", tenant.apiKey()).contentType("application/json")
                .body("{\"kind\": \"segment\", \"scanIds\": []}").post("/api/v1/jobs");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.<String>path("part")).isEqualTo("Idempotency-Key");

        Response badKind = api.submit(tenant.apiKey(), "y", "paint", List.of(UUID.randomUUID()));
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(badKind.<String>path("part")).isEqualTo("kind");

        Response noScans = api.submit(tenant.apiKey(), "z", "segment", List.of());
        assertThat(noScans.statusCode()).isEqualTo(400);
        assertThat(noScans.<String>path("part")).isEqualTo("scanIds");
    }

    @Test
    void oversizedJobParametersAreRefusedAndNothingIsStored() {
        Api.Tenant tenant = api.createTenant("oversized-" + UUID.randomUUID());
        UUID scan = UUID.fromString(api.upload(tenant.apiKey(), parts(phantoms.subject(1))).path("id"));
        String note = "x".repeat(200_000);

        Response big = api.request().header("X-Api-Key", tenant.apiKey()).header("Idempotency-Key", "big")
                .contentType("application/json").body("{\"kind\": \"segment\", \"scanIds\": [\"" + scan + "\"], \"modelSetId\": \""
                        + env.modelSet() + "\", \"parameters\": {\"note\": \"" + note + "\"}}")
                .post("/api/v1/jobs");

        assertThat(big.statusCode()).as(big.asString()).isEqualTo(413);
        assertThat(big.<String>path("part")).isEqualTo("parameters");
        assertThat(big.<String>path("detail")).contains("at most 65,536");
        Response jobs = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs");
        assertThat(jobs.statusCode()).isEqualTo(200);
        assertThat(jobs.jsonPath().getList("$")).isEmpty();
    }

    @Test
    void healthMetricsAndOpenApiAnswer() {
        JsonPath health = api.request().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(health.getList("checks.name")).contains("postgres", "kafka", "object-store", "outbox-relay");
        assertThat(api.request().get("/q/metrics").then().statusCode(200).extract().asString()).contains("triplane_outbox_relay_failures");
        assertThat(api.request().get("/q/openapi").then().statusCode(200).extract().asString()).contains("/api/v1/scans");
    }
}
