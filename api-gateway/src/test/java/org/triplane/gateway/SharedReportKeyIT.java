package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.models.ModelSet;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.FinishedJobs;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.RoundRobinProxy;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * Gateway replicas behind one address share the report-signing key, as {@code deploy/k8s} gives them
 * ({@code TRIPLANE_REPORT_SIGNING_KEY} from Secret {@code triplane-gateway}): two more gateway processes
 * with one key, behind a round-robin {@link RoundRobinProxy}, both serve the report behind a link that
 * either of them issued; the run's own gateway, whose key is its own random one, refuses that link.
 */
class SharedReportKeyIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static String replicaA;
    private static String replicaB;
    private static RoundRobinProxy address;
    private static Api.Tenant tenant;
    private static FinishedJobs.Finished finished;

    @BeforeAll
    static void arrange() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        // why: the relay is the run's own gateway's job; two more relays would only add load
        Map<String, String> shared = Map.of("triplane.report.signing-key", HexFormat.of().formatHex(key),
                "triplane.relay.enabled", "false");
        replicaA = env.startGateway("replica-a", shared);
        replicaB = env.startGateway("replica-b", shared);
        address = new RoundRobinProxy(List.of(replicaA, replicaB));

        Api api = new Api(env.gatewayUrl());
        FinishedJobs jobs = new FinishedJobs(env, api, dir);
        tenant = api.createTenant("shared-key-" + UUID.randomUUID());
        FinishedJobs.Uploaded scan = jobs.upload(tenant, Phantoms.write(dir.resolve("phantoms")).subject(0));
        ModelSet set = jobs.modelSet(UUID.randomUUID(), List.of(scan.scanId()));
        finished = jobs.finish(tenant, "shared-key-1", List.of(scan), set, 7);
    }

    @AfterAll
    static void closeAddress() {
        if (address != null) {
            address.close();
        }
    }

    private static String linkThroughTheAddress() {
        return new Api(address.url()).request().header("X-Api-Key", tenant.apiKey())
                .get("/api/v1/jobs/" + finished.jobId() + "/report/link").then().statusCode(200).extract().path("url");
    }

    @Test
    void aLinkIssuedByOneReplicaOpensTheReportOnEveryReplicaBehindTheAddress() {
        String link = linkThroughTheAddress();
        int before = address.answeredBy().size();
        for (int i = 0; i < 4; i++) {
            Response page = new Api(address.url()).request().get(link);
            assertThat(page.statusCode()).as("request %d through the address, answered by %s", i,
                    address.answeredBy().get(address.answeredBy().size() - 1)).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.asString()).contains(finished.jobId().toString());
        }
        assertThat(address.answeredBy().subList(before, address.answeredBy().size())).as("replicas that served the link")
                .containsOnly(replicaA, replicaB).contains(replicaA, replicaB);
        assertThat(new Api(replicaA).request().get(link).statusCode()).as("replica A directly").isEqualTo(200);
        assertThat(new Api(replicaB).request().get(link).statusCode()).as("replica B directly").isEqualTo(200);
    }

    @Test
    void aGatewayWithAnotherKeyRefusesTheLink() {
        String link = linkThroughTheAddress();
        Response refused = new Api(env.gatewayUrl()).request().get(link);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.<String>path("part")).isEqualTo("token");
    }
}
