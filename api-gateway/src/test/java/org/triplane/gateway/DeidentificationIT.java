package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.imaging.nifti.NiftiReader;

/**
 * Uploads whose NIfTI headers name the patient (every free-text field and an extension): a tenant
 * that de-identifies (the default) has the name gone from the stored CT and labels, whose voxel
 * bytes and geometry are those uploaded, and keeps the checksums of the bytes as uploaded, which
 * find the scan; a tenant that turned it off has its uploads stored byte for byte. Only the
 * administrator changes the setting.
 */
class DeidentificationIT {

    private static final String NAME = "Doe^John";

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Phantoms.Subject subject;
    /** The subject's CT and labels, uncompressed, with the name in their headers (data from 384). */
    private static byte[] namedCt;
    private static byte[] namedLabels;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        subject = Phantoms.write(dir).subject(0);
        namedCt = Phantoms.withPatientName(Phantoms.gunzip(subject.ct()), NAME);
        namedLabels = Phantoms.withPatientName(Phantoms.gunzip(subject.labels()), NAME);
    }

    @Test
    void theNameIsNotStoredAndTheImageIs() throws IOException {
        Api.Tenant tenant = api.createTenant("deidentified-" + UUID.randomUUID());
        byte[] ctSent = Phantoms.gzip(namedCt);

        JsonPath scan = upload(tenant, ctSent, namedLabels);

        String id = scan.getString("id");
        for (String part : List.of("ct", "labels")) {
            byte[] stored = download(tenant, id, part);
            byte[] nii = Phantoms.gunzip(stored);
            assertThat(new String(nii, StandardCharsets.ISO_8859_1)).as(part).doesNotContain("Doe");
            assertSameImage(part.equals("ct") ? namedCt : namedLabels, nii, part.equals("ct") ? subject.ct() : subject.labels());
            assertThat(Phantoms.sha256(stored)).as(part + " checksum").isEqualTo(scan.getString(part + ".sha256"));
            assertThat(scan.getLong(part + ".sizeBytes")).isEqualTo(stored.length);
        }
        assertThat(scan.getBoolean("upload.deidentified")).isTrue();
        assertThat(scan.getString("upload.ctSha256")).isEqualTo(Phantoms.sha256(ctSent));
        assertThat(scan.getString("upload.labelsSha256")).isEqualTo(Phantoms.sha256(namedLabels));
        assertThat(scan.getString("ct.sha256")).isNotEqualTo(scan.getString("upload.ctSha256"));

        assertThat(idsWithCtSha256(tenant, scan.getString("upload.ctSha256"))).as("by the checksum as uploaded").containsExactly(id);
        assertThat(idsWithCtSha256(tenant, scan.getString("ct.sha256"))).as("by the stored checksum").containsExactly(id);

        Response job = api.submit(tenant.apiKey(), "deidentified-1", "segment", List.of(UUID.fromString(id)), env.modelSet());
        assertThat(job.statusCode()).as(job.asString()).isEqualTo(201);
        JsonPath audit = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs/" + job.path("id") + "/audit")
                .then().statusCode(200).extract().jsonPath();
        assertThat(audit.getBoolean("scans[0].scan.upload.deidentified")).isTrue();
        assertThat(audit.getString("scans[0].scan.upload.ctSha256")).isEqualTo(Phantoms.sha256(ctSent));
        assertThat(audit.getString("scans[0].scan.ct.sha256")).isEqualTo(scan.getString("ct.sha256"));
    }

    @Test
    void aTenantWithoutDeidentificationHasItsUploadsStoredByteForByte() {
        Response created = admin().body(Map.of("name", "as-uploaded-" + UUID.randomUUID(), "deidentifyUploads", false))
                .post("/api/v1/admin/tenants");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.<Boolean>path("deidentifyUploads")).isFalse();
        Api.Tenant tenant = new Api.Tenant(UUID.fromString(created.path("tenantId")), created.path("apiKey"));
        byte[] ctSent = Phantoms.gzip(namedCt);
        byte[] labelsSent = Phantoms.gzip(namedLabels);

        JsonPath scan = upload(tenant, ctSent, labelsSent);

        assertThat(scan.getBoolean("upload.deidentified")).isFalse();
        assertThat(download(tenant, scan.getString("id"), "ct")).isEqualTo(ctSent);
        assertThat(download(tenant, scan.getString("id"), "labels")).isEqualTo(labelsSent);
        assertThat(scan.getString("ct.sha256")).isEqualTo(scan.getString("upload.ctSha256")).isEqualTo(Phantoms.sha256(ctSent));

        Response on = admin().body(Map.of("deidentifyUploads", true)).patch("/api/v1/admin/tenants/" + tenant.id());
        assertThat(on.statusCode()).as(on.asString()).isEqualTo(200);
        assertThat(on.<Boolean>path("deidentifyUploads")).isTrue();
        JsonPath after = upload(tenant, ctSent, labelsSent);
        assertThat(after.getBoolean("upload.deidentified")).isTrue();
        assertThat(new String(Phantoms.gunzip(download(tenant, after.getString("id"), "ct")), StandardCharsets.ISO_8859_1))
                .doesNotContain("Doe");
    }

    @Test
    void onlyTheAdministratorChangesTheSetting() {
        Api.Tenant tenant = api.createTenant("setting-" + UUID.randomUUID());
        String path = "/api/v1/admin/tenants/" + tenant.id();

        api.request().contentType("application/json").body(Map.of("deidentifyUploads", false)).patch(path).then().statusCode(403);
        api.request().header("X-Admin-Token", "wrong").contentType("application/json").body(Map.of("deidentifyUploads", false))
                .patch(path).then().statusCode(403);
        assertThat(admin().body(Map.of()).patch(path).then().statusCode(400).extract().<String>path("part"))
                .isEqualTo("deidentifyUploads");
        admin().body(Map.of("deidentifyUploads", false)).patch("/api/v1/admin/tenants/" + UUID.randomUUID()).then().statusCode(404);

        JsonPath scan = upload(tenant, Phantoms.gzip(namedCt), null);
        assertThat(scan.getBoolean("upload.deidentified")).as("still the default").isTrue();
        assertThat(scan.getString("upload.labelsSha256")).isNull();
    }

    /**
     * The stored file holds the uploaded voxel bytes right after a 352-byte header and reads as the
     * phantom does: same geometry, same voxels.
     */
    private static void assertSameImage(byte[] uploaded, byte[] stored, Path phantom) throws IOException {
        int uploadedOffset = 352 + Phantoms.NAME_EXTENSION_BYTES;
        assertThat(Phantoms.dataOffset(stored)).isEqualTo(352);
        assertThat(Arrays.copyOfRange(stored, 352, stored.length))
                .isEqualTo(Arrays.copyOfRange(uploaded, uploadedOffset, uploaded.length));
        NiftiReader.Loaded expected = NiftiReader.readWithHeader(phantom);
        NiftiReader.Loaded read = NiftiReader.readWithHeader(Files.write(dir.resolve("stored.nii"), stored));
        assertThat(read.volume().geometry()).isEqualTo(expected.volume().geometry());
        assertThat(read.header().storedType()).isEqualTo(expected.header().storedType());
        for (int i = 0; i < expected.volume().voxels().length(); i++) {
            assertThat(read.volume().voxels().get(i)).isEqualTo(expected.volume().voxels().get(i));
        }
    }

    /** @param labels the labels part, or {@code null} for none; sent as {@code .nii} unless gzip */
    private static JsonPath upload(Api.Tenant tenant, byte[] ct, byte[] labels) {
        List<Api.Part> parts = labels == null ? List.of(new Api.Part("ct", "Doe_John.nii.gz", ct))
                : List.of(new Api.Part("ct", "Doe_John.nii.gz", ct),
                        new Api.Part("labels", labels[0] == 0x1f ? "Doe_John-seg.nii.gz" : "Doe_John-seg.nii", labels));
        Response r = api.upload(tenant.apiKey(), parts);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath();
    }

    private static byte[] download(Api.Tenant tenant, String scanId, String part) {
        return api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/scans/" + scanId + "/objects/" + part)
                .then().statusCode(200).extract().asByteArray();
    }

    private static List<String> idsWithCtSha256(Api.Tenant tenant, String sha) {
        return api.request().header("X-Api-Key", tenant.apiKey()).queryParam("ctSha256", sha).get("/api/v1/scans")
                .then().statusCode(200).extract().jsonPath().getList("id");
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return api.request().header("X-Admin-Token", StackAndGateway.ADMIN_TOKEN).contentType("application/json");
    }
}
