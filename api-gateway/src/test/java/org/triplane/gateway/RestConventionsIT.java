package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.Database;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.ApiKeys;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.imaging.plane.Plane;

/**
 * The REST conventions on the running gateway: RFC 9457 problem documents for every refusal (the
 * resources', the filters' before routing and the HTTP layer's), cursor pagination with
 * {@code Link: rel="next"} that stays exact while rows are added, cancelling a job (its tasks stop,
 * audited, idempotent) and the OpenAPI document's security scheme and error answers.
 */
class RestConventionsIT {

    private static final String PROBLEM = "application/problem+json";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

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

    @Test
    void everyRefusalIsAProblemDocumentNamingWhatIsAtFault() {
        Api.Tenant tenant = api.createTenant("problems-" + UUID.randomUUID());
        UUID unknown = UUID.randomUUID();

        Response noKey = api.request().get("/api/v1/jobs");
        assertProblem(noKey, 401, "X-Api-Key", "/api/v1/jobs");

        Response missing = keyed(tenant).get("/api/v1/jobs/" + unknown);
        assertProblem(missing, 404, "id", "/api/v1/jobs/" + unknown);
        assertThat(missing.<String>path("detail")).contains(unknown.toString());

        Response noRoute = keyed(tenant).get("/api/v1/nothing-here");
        assertProblem(noRoute, 404, null, "/api/v1/nothing-here");

        Response wrongType = keyed(tenant).header("Idempotency-Key", "t").contentType("text/plain").body("kind=segment")
                .post("/api/v1/jobs");
        assertProblem(wrongType, 415, null, "/api/v1/jobs");

        Response badQuery = keyed(tenant).get("/api/v1/jobs?limit=0");
        assertProblem(badQuery, 400, "limit", "/api/v1/jobs");

        Response badCursor = keyed(tenant).get("/api/v1/scans?cursor=bm90LWEtY3Vyc29y");
        assertProblem(badCursor, 400, "cursor", "/api/v1/scans");
    }

    @Test
    void listsArePagedByCursorAndStayExactWhileJobsAreAdded() {
        Api.Tenant tenant = api.createTenant("pages-" + UUID.randomUUID());
        UUID scan = upload(tenant);
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(0, submit(tenant, "page-" + i, scan));
        }

        Response first = keyed(tenant).get("/api/v1/jobs?kind=segment&limit=2");
        assertThat(first.statusCode()).isEqualTo(200);
        List<String> seen = new ArrayList<>(first.jsonPath().getList("id"));
        assertThat(seen).hasSize(2);
        String next = next(first);
        assertThat(next).as("the link repeats the filters").contains("kind=segment").contains("limit=2").contains("cursor=");

        String added = submit(tenant, "page-added", scan);
        while (next != null) {
            Response page = keyed(tenant).get(next);
            assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
            seen.addAll(page.jsonPath().getList("id"));
            next = next(page);
        }

        assertThat(seen).as("newest first, each once, none skipped; the job added meanwhile is newer than every page")
                .containsExactlyElementsOf(submitted).doesNotContain(added);
        Response all = keyed(tenant).get("/api/v1/jobs?limit=10");
        assertThat(all.jsonPath().<String>getList("id")).startsWith(added).hasSize(6);
        assertThat(all.header("Link")).as("a last page has no next link").isNull();

        UUID second = upload(tenant);
        Response scans = keyed(tenant).get("/api/v1/scans?limit=1");
        assertThat(scans.jsonPath().<String>getList("id")).containsExactly(second.toString());
        Response older = keyed(tenant).get(next(scans));
        assertThat(older.jsonPath().<String>getList("id")).containsExactly(scan.toString());
        assertThat(older.header("Link")).isNull();
    }

    @Test
    void cancellingStopsTheJobsOpenTasksAuditedAndAgainAnswersTheCancelledJob() {
        Api.Tenant tenant = api.createTenant("cancel-" + UUID.randomUUID());
        UUID scan = upload(tenant);
        UUID jobId = UUID.fromString(submit(tenant, "cancel-1", scan));
        Database owner = env.owner();
        Job job = owner.tx().run(c -> Jobs.find(c, jobId)).orElseThrow();
        // as the preprocess-worker and a gpu-worker leave them: the job running, one task running, one waiting
        owner.tx().run(c -> Jobs.transition(c, job, JobState.RUNNING, "preprocess-worker-it", "preprocessing"));
        Task waiting = owner.tx().run(c -> Tasks.create(c, NewTask.forPlane(job, scan, Plane.AXIAL), "it"));
        Task created = owner.tx().run(c -> Tasks.create(c, NewTask.forPlane(job, scan, Plane.CORONAL), "it"));
        Task running = owner.tx().run(c -> Tasks.claim(c, created.id(), "gpu-worker-it", 60)).orElseThrow();

        Response cancelled = keyed(tenant).post("/api/v1/jobs/" + jobId + "/cancel");

        assertThat(cancelled.statusCode()).as(cancelled.asString()).isEqualTo(200);
        assertThat(cancelled.<String>path("state")).isEqualTo("CANCELLED");
        assertThat(owner.tx().run(c -> Tasks.find(c, waiting.id())).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(owner.tx().run(c -> Tasks.find(c, running.id())).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        Optional<Task> claimed = owner.tx().run(c -> Tasks.claim(c, waiting.id(), "gpu-worker-it", 60));
        assertThat(claimed).as("no worker starts a cancelled task").isEmpty();
        boolean leaseKept = owner.tx().run(c -> Tasks.heartbeat(c, running, 60));
        assertThat(leaseKept).as("the worker running one loses its lease at the next heartbeat").isFalse();
        String actor = "api-key:" + ApiKeys.prefixOf(tenant.apiKey()).orElseThrow();
        JsonPath body = cancelled.jsonPath();
        assertThat(body.<String>getList("transitions.findAll { it.to == 'CANCELLED' }.entity"))
                .containsExactlyInAnyOrder("TASK", "TASK", "JOB_SCAN", "JOB");
        assertThat(body.<String>getList("transitions.findAll { it.to == 'CANCELLED' }.actor"))
                .as("audited with the caller's key as actor").containsOnly(actor);

        Response again = keyed(tenant).post("/api/v1/jobs/" + jobId + "/cancel");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.<String>path("state")).isEqualTo("CANCELLED");
        assertThat(again.jsonPath().<String>getList("transitions.findAll { it.to == 'CANCELLED' }.entity"))
                .as("cancelled once").hasSize(4);
    }

    @Test
    void aFinishedJobCannotBeCancelledAndAnotherTenantsJobIsNotFound() {
        Api.Tenant tenant = api.createTenant("cancel-done-" + UUID.randomUUID());
        UUID jobId = UUID.fromString(submit(tenant, "done-1", upload(tenant)));
        Database owner = env.owner();
        owner.tx().run(c -> Jobs.transition(c, Jobs.transition(c, Jobs.find(c, jobId).orElseThrow(),
                JobState.RUNNING, "it", "running"), JobState.SUCCEEDED, "it", "done"));

        Response refused = keyed(tenant).post("/api/v1/jobs/" + jobId + "/cancel");
        assertProblem(refused, 409, "id", "/api/v1/jobs/" + jobId + "/cancel");
        assertThat(refused.<String>path("detail")).contains("SUCCEEDED");
        assertThat(owner.tx().run(c -> Jobs.find(c, jobId)).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);

        Api.Tenant other = api.createTenant("cancel-other-" + UUID.randomUUID());
        assertProblem(keyed(other).post("/api/v1/jobs/" + jobId + "/cancel"), 404, "id", "/api/v1/jobs/" + jobId + "/cancel");
    }

    @Test
    void theOpenApiDocumentDeclaresTheKeySchemeAndEachOperationsProblems() {
        JsonPath doc = api.request().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();

        assertThat(doc.<Map<String, String>>get("components.securitySchemes.ApiKey"))
                .containsEntry("type", "apiKey").containsEntry("in", "header").containsEntry("name", "X-Api-Key");
        assertThat(doc.<String>get("info.version")).isEqualTo(System.getProperty("triplane.version"));
        assertThat(doc.<List<Map<String, ?>>>get("paths.'/api/v1/jobs'.get.security")).containsExactly(Map.of("ApiKey", List.of()));
        assertThat(doc.<List<?>>get("paths.'/api/v1/jobs'.get.parameters.findAll { it.name == 'X-Api-Key' }"))
                .as("the key is the scheme, not a parameter").isEmpty();
        Map<String, ?> cancel = doc.get("paths.'/api/v1/jobs/{id}/cancel'.post.responses");
        assertThat(cancel).containsKeys("200", "401", "404", "409", "429", "503");
        assertThat(doc.<String>get("paths.'/api/v1/jobs/{id}/cancel'.post.responses.'409'.content.'application/problem+json'"
                + ".schema.'$ref'")).isEqualTo("#/components/schemas/Problem");
        assertThat(doc.<Map<String, ?>>get("paths.'/api/v1/jobs'.get.responses.'503'.headers")).containsKey("Retry-After");
        assertThat(doc.<Map<String, ?>>get("paths.'/api/v1/jobs'.get.responses.'200'.headers")).containsKey("Link");
        assertThat(doc.<String>get("paths.'/api/v1/scans'.get.responses.'200'.content.'application/json'.schema.type"))
                .isEqualTo("array");
        assertThat(doc.<List<String>>get("components.schemas.Problem.required")).contains("type", "title", "status", "detail");
        assertThat(doc.<Object>get("paths.'/api/v1/admin/tenants'.post.security")).as("the admin path uses its token").isNull();
    }

    @Test
    void everyServiceUnavailableAnswerSaysWhenToAskAgain() {
        // a gateway whose bucket does not exist: never ready, and every store call fails
        Api unready = new Api(env.startUnreadyGateway("no-bucket", Map.of("triplane.object-store.bucket",
                "absent-" + UUID.randomUUID().toString().substring(0, 8))));

        Response readiness = unready.request().get("/q/health/ready");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.header("Retry-After")).as("answered below the REST layer").isEqualTo("5");

        Api.Tenant tenant = unready.createTenant("unavailable-" + UUID.randomUUID());
        Phantoms.Subject s = phantoms.subject(1);
        Response upload = unready.upload(tenant.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct()))));
        assertProblem(upload, 503, "object-store", "/api/v1/scans");
        assertThat(upload.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void theLivenessAnswerNamesTheBuildsVersion() {
        JsonPath live = api.request().get("/q/health/live").then().statusCode(200).extract().jsonPath();
        assertThat(live.<String>get("checks.find { it.name == 'build' }.data.version"))
                .isEqualTo(System.getProperty("triplane.version"));
    }

    private static void assertProblem(Response r, int status, String part, String instance) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.asString()).startsWith(PROBLEM);
        assertThat(r.<String>path("type")).isEqualTo("about:blank");
        assertThat(r.<Integer>path("status")).isEqualTo(status);
        assertThat(r.<String>path("title")).isNotBlank();
        assertThat(r.<String>path("detail")).isNotBlank();
        assertThat(r.<String>path("instance")).isEqualTo(instance);
        assertThat(r.<String>path("part")).isEqualTo(part);
    }

    private static String next(Response r) {
        String link = r.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        assertThat(m.find()).as(link).isTrue();
        return m.group(1);
    }

    private static io.restassured.specification.RequestSpecification keyed(Api.Tenant tenant) {
        return api.request().header("X-Api-Key", tenant.apiKey());
    }

    private static UUID upload(Api.Tenant tenant) {
        Phantoms.Subject s = phantoms.subject(1);
        return UUID.fromString(api.upload(tenant.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                new Api.Part("transform", "t.txt", Phantoms.bytes(s.transform())))).then().statusCode(201).extract().path("id"));
    }

    private static String submit(Api.Tenant tenant, String key, UUID scan) {
        return api.submit(tenant.apiKey(), key, "segment", List.of(scan), env.modelSet()).then().statusCode(201)
                .extract().path("id");
    }
}
