package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.Residue;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * The gateway under test starts without a shipped model set (its folder does not exist), so no
 * default is registered: a segment or evaluate job that names no model set is refused at once,
 * naming what to do, and nothing is written; one that names a set runs it and is not marked as
 * running the default. (The shipped default itself: {@code DefaultModelSetEndToEndIT} in e2e.)
 */
class NoDefaultModelSetIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Api.Tenant tenant;
    private static UUID scan;
    private static Api.Tenant named;
    private static UUID namedScan;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        Phantoms.Subject s = Phantoms.write(dir).subject(0);
        tenant = api.createTenant("no-default-" + UUID.randomUUID());
        scan = upload(tenant, s);
        named = api.createTenant("named-set-" + UUID.randomUUID());
        namedScan = upload(named, s);
    }

    private static UUID upload(Api.Tenant t, Phantoms.Subject s) {
        return UUID.fromString(api.upload(t.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                new Api.Part("transform", "t.txt", Phantoms.bytes(s.transform())))).then().statusCode(201).extract().path("id"));
    }

    @Test
    void withoutADefaultAJobNamingNoModelSetIsRefusedSayingWhatToDo() {
        for (String kind : List.of("segment", "evaluate")) {
            Response r = api.submit(tenant.apiKey(), "no-set-" + kind, kind, List.of(scan));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(409);
            assertThat(r.<String>path("part")).isEqualTo("modelSetId");
            assertThat(r.<String>path("detail")).startsWith("a " + kind + " job needs a model set and none is named: no default "
                    + "model set is registered.").contains("--model-set").contains("models/default")
                    .contains("triplane model-set export");
        }
        assertThat(api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs").then().statusCode(200).extract()
                .jsonPath().getList("id")).isEmpty();
        assertThat(new Residue(env).outboxRows(tenant.id())).isZero();

        Response none = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/models/default");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.<String>path("detail")).contains("no default model set is registered");
    }

    @Test
    void aJobNamingAModelSetRunsItAndIsNotMarkedAsRunningTheDefault() {
        Response r = api.submit(named.apiKey(), "named-set", "segment", List.of(namedScan), env.modelSet());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.<String>path("modelSetId")).isEqualTo(env.modelSet().toString());
        assertThat(r.<Boolean>path("modelSetDefault")).isFalse();

        Response set = api.request().header("X-Api-Key", named.apiKey()).get("/api/v1/models/" + env.modelSet());
        assertThat(set.<Boolean>path("default")).isFalse();
        assertThat(set.<String>path("shippedSha256")).isNull();
        assertThat(set.jsonPath().getList("events")).isEmpty();
    }
}
