package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.StackAndGateway;

/** Tenant B's key reaches none of tenant A's scans, objects or jobs; no key reaches anything. */
class TenantIsolationIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Api.Tenant a;
    private static Api.Tenant b;
    private static UUID scanOfA;
    private static UUID jobOfA;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        Phantoms phantoms = Phantoms.write(dir);
        a = api.createTenant("tenant-a-" + UUID.randomUUID());
        b = api.createTenant("tenant-b-" + UUID.randomUUID());
        Phantoms.Subject s = phantoms.subject(2);
        scanOfA = UUID.fromString(api.upload(a.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                new Api.Part("transform", "t.txt", Phantoms.bytes(s.transform())))).then().statusCode(201).extract().path("id"));
        jobOfA = UUID.fromString(api.submit(a.apiKey(), "a-1", "segment", List.of(scanOfA), env.modelSet()).then().statusCode(201)
                .extract().path("id"));
    }

    @Test
    void ownerSeesItsScanAndJob() {
        api.request().header("X-Api-Key", a.apiKey()).get("/api/v1/scans/" + scanOfA).then().statusCode(200);
        api.request().header("X-Api-Key", a.apiKey()).get("/api/v1/jobs/" + jobOfA).then().statusCode(200);
        api.request().header("X-Api-Key", a.apiKey()).get("/api/v1/scans/" + scanOfA + "/objects/transform").then().statusCode(200);
    }

    @Test
    void otherTenantCannotReadListOrDownload() {
        api.request().header("X-Api-Key", b.apiKey()).get("/api/v1/scans/" + scanOfA).then().statusCode(404);
        api.request().header("X-Api-Key", b.apiKey()).get("/api/v1/scans/" + scanOfA + "/objects/ct").then().statusCode(404);
        api.request().header("X-Api-Key", b.apiKey()).get("/api/v1/jobs/" + jobOfA).then().statusCode(404);
        List<String> listed = api.request().header("X-Api-Key", b.apiKey()).get("/api/v1/jobs").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(listed).doesNotContain(jobOfA.toString());
    }

    @Test
    void otherTenantCannotSubmitAJobOnItsScans() {
        var r = api.submit(b.apiKey(), "b-1", "segment", List.of(scanOfA));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.<String>path("part")).isEqualTo("scanIds");
    }

    @Test
    void missingOrUnknownKeyIsUnauthorized() {
        api.request().get("/api/v1/jobs").then().statusCode(401);
        api.request().header("X-Api-Key", "tp_aaaaaaaaaaaa_" + "x".repeat(43)).get("/api/v1/scans/" + scanOfA)
                .then().statusCode(401);
        api.request().header("X-Admin-Token", "wrong").contentType("application/json").body("{\"name\":\"x\"}")
                .post("/api/v1/admin/tenants").then().statusCode(403);
    }
}
