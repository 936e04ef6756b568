package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.GatewayClient;
import org.triplane.client.GatewayException;
import org.triplane.client.modelset.ModelSetExport;
import org.triplane.client.modelset.ModelSetFolder;
import org.triplane.db.models.ShippedModelSetRegistration;
import org.triplane.deploy.local.StackProperties;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.testing.TestStack;

/**
 * The shipped default model set on the whole stack. The stack's default-model-set folder is empty at
 * first: a segment job that names no model set is refused. A tiny set is trained as a TRAIN job,
 * exported into the folder with {@link ModelSetExport} (what {@code triplane model-set export} does),
 * and the gateway restarted: the set is registered once as the default (same id after a second
 * restart, one audit row with its checksum and code version), two tenants see it, and a segment job
 * of the second tenant that names no model set runs with it to SUCCEEDED, recorded as the default.
 */
class DefaultModelSetEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestStack stack;
    private static Path shipped;

    @BeforeAll
    static void startStack() throws Exception {
        shipped = dir.resolve("shipped-model-set");
        stack = TestStack.startWithServices(dir, List.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker"),
                b -> b.optDefaultModelSet(shipped));
    }

    @AfterAll
    static void stopStack() {
        TestStack.stopLeavingNothing(stack);
    }

    @Test
    void aShippedSetIsRegisteredOnceAsEveryTenantsDefaultAndRunsJobsThatNameNone() throws Exception {
        PhantomDataset.Result phantoms = PhantomDataset.write(
                PhantomSpec.of(64, 64, 28, new double[] {3.6, 3.6, 5.0}, 11), dir.resolve("phantoms"), 4, null);
        GatewayClient gateway = new GatewayClient(stack.properties().getProperty(StackProperties.GATEWAY_URL));
        String admin = stack.properties().getProperty(StackProperties.GATEWAY_ADMIN_TOKEN);
        String a = gateway.createTenant(admin, "default-a-" + UUID.randomUUID()).apiKey();
        List<UUID> scans = new ArrayList<>();
        for (PhantomDataset.SubjectFiles s : phantoms.subjects()) {
            scans.add(UUID.fromString(gateway.uploadScan(a, file(phantoms, s.ctFile()), file(phantoms, s.transformFile()),
                    file(phantoms, s.segFile())).get("id").asText()));
        }

        // no folder yet: refused at once, naming what to do
        assertThatThrownBy(() -> gateway.submitSegmentJob(a, "none-yet", scans.subList(3, 4)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.part()).isEqualTo("modelSetId");
                    assertThat(e.error()).contains("no default model set is registered").contains("models/default");
                });
        assertThat(get(a, "/api/v1/models/default").statusCode()).isEqualTo(404);

        // a tiny trained set, exported into the stack's shipped folder
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("preset", "tiny");
        training.put("epochs", 1);
        training.put("gridSpacingMm", 8);
        training.put("fieldOfViewMm", List.of(256, 256, 160));
        training.put("validationScans", 1);
        training.put("seed", 5);
        UUID trainJob = gateway.submitJob(a, "train-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("train", scans.subList(0, 3), training, null)).id();
        UUID trained = UUID.fromString(JobWaits.awaitSucceeded(stack, gateway, a, trainJob).get("modelSetId").asText());
        ModelSetFolder.Folder folder = ModelSetExport.export(gateway, a, trained, shipped, "e2e-default",
                "{\"command\": \"e2e\", \"seeds\": {\"phantom\": 11, \"training\": 5}}", "{\"note\": \"not measured\"}");
        assertThat(folder.manifest().planes()).hasSize(3);
        assertThat(Files.list(shipped).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("axial.params", "coronal.params", "model-set.json", "sagittal.params");
        UUID expected = ShippedModelSetRegistration.idFor(folder.sha256());

        restartGateway();
        JsonNode registered = JSON.readTree(get(a, "/api/v1/models/default").body());
        assertThat(registered.get("id").asText()).isEqualTo(expected.toString());
        assertThat(registered.get("default").asBoolean()).isTrue();
        assertThat(registered.get("complete").asBoolean()).isTrue();
        assertThat(registered.get("shippedSha256").asText()).isEqualTo(folder.sha256());
        assertThat(registered.get("events")).hasSize(1);
        JsonNode event = registered.get("events").get(0);
        assertThat(event.get("event").asText()).isEqualTo("SHIPPED_DEFAULT_REGISTERED");
        assertThat(event.get("sha256").asText()).isEqualTo(folder.sha256());
        assertThat(event.get("codeVersion").asText()).isEqualTo(folder.manifest().codeVersion());

        restartGateway();
        JsonNode again = JSON.readTree(get(a, "/api/v1/models/default").body());
        assertThat(again.get("id").asText()).isEqualTo(expected.toString());
        assertThat(again.get("events")).as("registered once, also after a restart").hasSize(1);
        assertThat(count("SELECT count(*) FROM model_sets WHERE shipped_sha256 = ?", folder.sha256())).isEqualTo(1);

        // a second tenant sees the same default and runs a job with it without naming it
        String b = gateway.createTenant(admin, "default-b-" + UUID.randomUUID()).apiKey();
        assertThat(JSON.readTree(get(b, "/api/v1/models/default").body()).get("id").asText()).isEqualTo(expected.toString());
        PhantomDataset.SubjectFiles last = phantoms.subjects().get(3);
        UUID scanOfB = UUID.fromString(gateway.uploadScan(b, file(phantoms, last.ctFile()), file(phantoms, last.transformFile()),
                null).get("id").asText());
        JsonNode job = gateway.submitSegmentJob(b, "with-default", List.of(scanOfB));
        assertThat(job.get("modelSetId").asText()).isEqualTo(expected.toString());
        assertThat(job.get("modelSetDefault").asBoolean()).isTrue();
        JsonNode done = JobWaits.awaitSucceeded(stack, gateway, b, UUID.fromString(job.get("id").asText()));
        assertThat(done.get("modelSetDefault").asBoolean()).isTrue();
        JsonNode audit = JSON.readTree(get(b, "/api/v1/jobs/" + done.get("id").asText() + "/audit").body());
        assertThat(audit.path("modelSet").path("shippedSha256").asText()).isEqualTo(folder.sha256());
        assertThat(audit.path("job").path("modelSetDefault").asBoolean()).isTrue();
    }

    private static void restartGateway() throws Exception {
        stack.stopGateway();
        stack.up();
    }

    private static HttpResponse<String> get(String apiKey, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(stack.properties().getProperty(StackProperties.GATEWAY_URL) + path))
                .timeout(Duration.ofSeconds(30)).header("X-Api-Key", apiKey).GET().build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String sql, String value) throws Exception {
        try (Connection c = stack.owner().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Path file(PhantomDataset.Result phantoms, String name) {
        return phantoms.directory().resolve(name);
    }
}
