package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.models.ModelSet;
import org.triplane.db.tenants.ApiKeys;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.FinishedJobs;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.Residue;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * Deleting a scan on the running stack: its objects (as uploaded, derived, and a finished job's
 * results for it) leave the object store and its rows the database, the other scans of the same job
 * stay, the deletion record keeps who, when and the SHA-256 of each removed object (checked here
 * against the bytes downloaded before), and a scan an unfinished job uses is refused until the job
 * is cancelled.
 */
class ScanDeletionIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    @Test
    void deletingAScanRemovesItsObjectsAndRowsAndKeepsAChecksummedRecord() throws Exception {
        Api api = new Api(env.gatewayUrl());
        Phantoms phantoms = Phantoms.write(dir.resolve("phantoms"));
        FinishedJobs jobs = new FinishedJobs(env, api, dir);
        Residue store = new Residue(env);
        Api.Tenant tenant = api.createTenant("delete-" + UUID.randomUUID());
        FinishedJobs.Uploaded gone = jobs.upload(tenant, phantoms.subject(0));
        FinishedJobs.Uploaded kept = jobs.upload(tenant, phantoms.subject(1));
        ModelSet set = jobs.modelSet(UUID.randomUUID(), List.of(kept.scanId()));
        FinishedJobs.Finished finished = jobs.finish(tenant, "finished", List.of(gone, kept), set, 1);
        UUID scan = gone.scanId();
        String jobFolder = jobFolderOf(tenant, finished.jobId(), scan);
        String derivedFolder = "tenants/" + tenant.id() + "/scans/" + scan + "/";
        // what the preprocess-worker leaves beside a scan it registered
        store.put(derivedFolder + "registration/transform.txt", "a derived transform".getBytes(StandardCharsets.UTF_8));
        String ctKey = keyed(api, tenant).get("/api/v1/scans/" + scan).then().statusCode(200).extract().path("ct.key");
        String uploadFolder = ctKey.substring(0, ctKey.lastIndexOf('/') + 1);
        Map<String, String> before = new TreeMap<>();
        for (String folder : List.of(uploadFolder, derivedFolder, jobFolder)) {
            store.keys(folder).forEach(k -> before.put(k, sha256(store.bytes(k))));
        }
        assertThat(before.keySet()).as("the upload, the derived transform and the job's results for the scan")
                .contains(ctKey, derivedFolder + "registration/transform.txt")
                .anySatisfy(k -> assertThat(k).startsWith(jobFolder));
        int keptObjects = store.keys(jobFolderOf(tenant, finished.jobId(), kept.scanId())).size();
        assertThat(keptObjects).isPositive();

        // an unfinished job uses it: refused, nothing removed
        UUID open = UUID.fromString(api.submit(tenant.apiKey(), "open", "segment", List.of(scan), env.modelSet())
                .then().statusCode(201).extract().path("id"));
        Response refused = keyed(api, tenant).delete("/api/v1/scans/" + scan);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.<String>path("part")).isEqualTo("id");
        assertThat(refused.<String>path("detail")).contains(open.toString()).contains("SUBMITTED");
        keyed(api, tenant).get("/api/v1/scans/" + scan).then().statusCode(200);
        assertThat(store.keys(jobFolder)).isNotEmpty();

        Api.Tenant other = api.createTenant("delete-other-" + UUID.randomUUID());
        keyed(api, other).delete("/api/v1/scans/" + scan).then().statusCode(404);

        keyed(api, tenant).post("/api/v1/jobs/" + open + "/cancel").then().statusCode(200);
        Response deleted = keyed(api, tenant).delete("/api/v1/scans/" + scan);

        assertThat(deleted.statusCode()).as(deleted.asString()).isEqualTo(200);
        JsonPath record = deleted.jsonPath();
        assertThat(record.getString("scanId")).isEqualTo(scan.toString());
        assertThat(record.getString("deletedBy")).isEqualTo("api-key:" + ApiKeys.prefixOf(tenant.apiKey()).orElseThrow());
        assertThat(record.getString("ctSha256")).isEqualTo(gone.ctSha256());
        assertThat(record.getList("jobIds")).containsExactlyInAnyOrder(finished.jobId().toString(), open.toString());
        Map<String, String> recorded = record.<Map<String, Object>>getList("objects").stream()
                .collect(Collectors.toMap(o -> (String) o.get("key"), o -> (String) o.get("sha256"), (x, y) -> x, TreeMap::new));
        assertThat(recorded).as("every object removed, each with the SHA-256 of its bytes").isEqualTo(before);

        assertThat(before.keySet()).allSatisfy(k -> assertThat(store.keys(k)).as(k).isEmpty());
        assertThat(store.keys(jobFolder)).isEmpty();
        assertThat(store.keys(jobFolderOf(tenant, finished.jobId(), kept.scanId()))).hasSize(keptObjects);
        for (String table : List.of("scans WHERE id", "job_scans WHERE scan_id", "tasks WHERE scan_id",
                "results WHERE scan_id", "class_metrics WHERE scan_id", "scan_registrations WHERE scan_id")) {
            assertThat(store.count("SELECT count(*) FROM " + table + " = ?", scan)).as(table).isZero();
        }
        assertThat(store.count("SELECT count(*) FROM scan_deletions WHERE scan_id = ?", scan)).isEqualTo(1);
        JsonPath results = keyed(api, tenant).get("/api/v1/jobs/" + finished.jobId() + "/results").then().statusCode(200)
                .extract().jsonPath();
        assertThat(results.getList("scans.scanId")).as("the job's other scan keeps its results")
                .containsExactly(kept.scanId().toString());
        keyed(api, tenant).get("/api/v1/jobs/" + finished.jobId()).then().statusCode(200);

        Response again = keyed(api, tenant).get("/api/v1/scans/" + scan);
        assertThat(again.statusCode()).isEqualTo(404);
        Response deleteAgain = keyed(api, tenant).delete("/api/v1/scans/" + scan);
        assertThat(deleteAgain.statusCode()).isEqualTo(404);
        assertThat(deleteAgain.<String>path("detail")).contains("was deleted at").contains(record.getString("deletedBy"));

        try (Connection c = env.owner().dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM scan_deletions WHERE scan_id = '" + scan + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }

    private static String jobFolderOf(Api.Tenant tenant, UUID job, UUID scan) {
        return "tenants/" + tenant.id() + "/jobs/" + job + "/scans/" + scan + "/";
    }

    private static io.restassured.specification.RequestSpecification keyed(Api api, Api.Tenant tenant) {
        return api.request().header("X-Api-Key", tenant.apiKey());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
