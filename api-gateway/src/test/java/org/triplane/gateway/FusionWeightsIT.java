package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.modelset.FusionWeightsDocument;
import org.triplane.db.models.ModelSet;
import org.triplane.db.results.MetricPlane;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.FinishedJobs;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * Recording a model set's learned fusion weights ({@code POST /api/v1/models/{id}/fusion-weights})
 * on evaluate jobs written the way the workers write them ({@link FinishedJobs}): authenticated,
 * size-limited, validated (4 members × 21 finite weights ≥ 0), only for a set the tenant trained and
 * from its own SUCCEEDED evaluate job of that set, the members' mean IoUs agreeing with what the job
 * recorded (pooled here from the written confusion counts) and the fit at least as good as the best
 * member; recorded once, shown with the set and its jobs' audit, and a job asking for the learned vote
 * is refused at submission while its set has no weights.
 */
class FusionWeightsIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MEMBERS = List.of("axial", "coronal", "sagittal", "atlas");
    private static final Map<String, MetricPlane> PLANES = Map.of("axial", MetricPlane.AXIAL, "coronal", MetricPlane.CORONAL,
            "sagittal", MetricPlane.SAGITTAL, "atlas", MetricPlane.ATLAS);

    private static Api api;
    private static FinishedJobs jobs;
    private static Api.Tenant tenant;
    private static Api.Tenant other;
    private static List<FinishedJobs.Uploaded> scans;
    private static ModelSet trained;
    private static ModelSet notTrainedHere;
    private static FinishedJobs.Finished evaluated;
    private static FinishedJobs.Finished ofAnotherSet;
    private static FinishedJobs.Finished othersJob;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        jobs = new FinishedJobs(env, api, dir);
        Phantoms phantoms = Phantoms.write(dir);
        tenant = api.createTenant("weights-" + UUID.randomUUID());
        other = api.createTenant("weights-other-" + UUID.randomUUID());
        scans = List.of(jobs.upload(tenant, phantoms.subject(0)), jobs.upload(tenant, phantoms.subject(1)));
        trained = jobs.trainedModelSet(tenant, scans.stream().map(FinishedJobs.Uploaded::scanId).toList());
        notTrainedHere = jobs.modelSet(UUID.randomUUID(), List.of());
        evaluated = jobs.finish(tenant, "evaluate-" + UUID.randomUUID(), scans, trained, 1);
        ofAnotherSet = jobs.finish(tenant, "evaluate-other-set-" + UUID.randomUUID(), scans, notTrainedHere, 2);
        FinishedJobs.Uploaded othersScan = jobs.upload(other, phantoms.subject(0));
        othersJob = jobs.finish(other, "evaluate-" + UUID.randomUUID(), List.of(othersScan), trained, 3);
    }

    /** Each member's mean IoU over the job's scans, the confusion counts pooled: counted here from what was written. */
    private static Map<String, Double> pooledMemberMeanIoU(FinishedJobs.Finished job) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String member : MEMBERS) {
            long[][] pooled = new long[21][21];
            for (FinishedJobs.Written w : job.scans()) {
                long[][] m = w.confusion().get(PLANES.get(member));
                for (int t = 0; t < 21; t++) {
                    for (int p = 0; p < 21; p++) {
                        pooled[t][p] += m[t][p];
                    }
                }
            }
            double sum = 0;
            int regions = 0;
            for (int label = 1; label < 21; label++) {
                double iou = FinishedJobs.iou(pooled, label);
                if (!Double.isNaN(iou)) {
                    sum += iou;
                    regions++;
                }
            }
            out.put(member, sum / regions);
        }
        return out;
    }

    /** A well-formed request for {@code job}: weights favouring the atlas, scores claimed at the best member. */
    private static ObjectNode body(FinishedJobs.Finished job, double atlasWeight) {
        Map<String, List<Double>> weights = new LinkedHashMap<>();
        for (String m : MEMBERS) {
            weights.put(m, java.util.Collections.nCopies(21, m.equals("atlas") ? atlasWeight : 1.0));
        }
        Map<String, Double> members = pooledMemberMeanIoU(job);
        double best = members.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new FusionWeightsDocument(weights, job.jobId(), job.scans().stream().map(FinishedJobs.Written::scanId).toList(),
                best, best - 0.01, members).toJson();
    }

    private static Response post(String apiKey, UUID set, Object body) {
        var r = api.request().contentType("application/json").body(body.toString());
        if (apiKey != null) {
            r = r.header("X-Api-Key", apiKey);
        }
        return r.post("/api/v1/models/" + set + "/fusion-weights");
    }

    private static void assertRefused(Response r, int status, String part, String error) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat((String) r.path("part")).isEqualTo(part);
        assertThat((String) r.path("detail")).contains(error);
    }

    @Test
    void aMalformedOrOversizedRequestIsRefusedNamingTheField() {
        assertRefused(post(null, trained.id(), body(evaluated, 2)), 401, "X-Api-Key", "missing API key");
        assertRefused(post(tenant.apiKey(), trained.id(), "{\"weights\": " + "1".repeat(70_000) + "}"), 413, "body", "65536");
        assertRefused(post(tenant.apiKey(), trained.id(), "not json"), 400, "body", "not a valid JSON");

        ObjectNode shortRow = body(evaluated, 2);
        ((ArrayNode) shortRow.get("weights").get("atlas")).remove(20);
        assertRefused(post(tenant.apiKey(), trained.id(), shortRow), 400, "weights", "member atlas needs 21 weights");
        ObjectNode negative = body(evaluated, 2);
        ((ArrayNode) negative.get("weights").get("coronal")).set(3, -0.5);
        assertRefused(post(tenant.apiKey(), trained.id(), negative), 400, "weights", "finite and >= 0; member coronal has -0.5");
        ObjectNode huge = body(evaluated, 2);
        ((ArrayNode) huge.get("weights").get("axial")).set(0, JSON.getNodeFactory().numberNode(new java.math.BigDecimal("1e400")));
        assertRefused(post(tenant.apiKey(), trained.id(), huge), 400, "weights", "Infinity");
        ObjectNode missing = body(evaluated, 2);
        ((ObjectNode) missing.get("weights")).remove("sagittal");
        assertRefused(post(tenant.apiKey(), trained.id(), missing), 400, "weights", "must name exactly the members");
        ObjectNode text = body(evaluated, 2);
        ((ArrayNode) text.get("weights").get("axial")).set(1, "one");
        assertRefused(post(tenant.apiKey(), trained.id(), text), 400, "weights.axial", "must be a number");
        ObjectNode iou = body(evaluated, 2);
        ((ObjectNode) iou.get("memberMeanIoU")).put("atlas", 1.5);
        assertRefused(post(tenant.apiKey(), trained.id(), iou), 400, "memberMeanIoU.atlas", "within 0..1");
        assertThat(weightsOf(trained.id()).isNull()).isTrue();
    }

    @Test
    void onlyTheTenantsOwnSetAndEvaluateJobOfItAreFittedOn() {
        assertRefused(post(tenant.apiKey(), notTrainedHere.id(), body(ofAnotherSet, 2)), 403, "modelSetId",
                "was not trained by this tenant");
        assertRefused(post(other.apiKey(), trained.id(), body(othersJob, 2)), 403, "modelSetId",
                "was not trained by this tenant");
        assertRefused(post(tenant.apiKey(), UUID.randomUUID(), body(evaluated, 2)), 404, "modelSetId", "not found");
        assertRefused(post(tenant.apiKey(), trained.id(), body(othersJob, 2)), 404, "evaluateJobId", "not found");
        assertRefused(post(tenant.apiKey(), trained.id(), body(ofAnotherSet, 2)), 409, "evaluateJobId",
                "ran model set " + notTrainedHere.id() + ", not " + trained.id());
        UUID submitted = jobs.submit(tenant, "submitted-" + UUID.randomUUID(), scans, trained);
        ObjectNode running = body(evaluated, 2).put("evaluateJobId", submitted.toString());
        assertRefused(post(tenant.apiKey(), trained.id(), running), 409, "evaluateJobId", "is SUBMITTED");

        ObjectNode foreignScan = body(evaluated, 2);
        ((ArrayNode) foreignScan.get("scanIds")).add(UUID.randomUUID().toString());
        assertRefused(post(tenant.apiKey(), trained.id(), foreignScan), 409, "scanIds", "has no result in job " + evaluated.jobId());
        assertThat(weightsOf(trained.id()).isNull()).isTrue();
    }

    @Test
    void scoresMustAgreeWithTheJobAndBeAtLeastTheBestMembers() {
        ObjectNode wrongMember = body(evaluated, 2);
        double axial = wrongMember.get("memberMeanIoU").get("axial").asDouble();
        ((ObjectNode) wrongMember.get("memberMeanIoU")).put("axial", axial - 0.001);
        assertRefused(post(tenant.apiKey(), trained.id(), wrongMember), 409, "memberMeanIoU.axial",
                "what job " + evaluated.jobId() + " recorded for these scans");

        ObjectNode belowBest = body(evaluated, 2);
        belowBest.put("meanIoU", belowBest.get("meanIoU").asDouble() - 0.001);
        assertRefused(post(tenant.apiKey(), trained.id(), belowBest), 400, "meanIoU", "below the best single member");
        assertThat(weightsOf(trained.id()).isNull()).isTrue();
    }

    @Test
    void weightsAreRecordedOnceAndShownWithTheSetAndInTheAuditOfItsJobs() throws Exception {
        ModelSet set = jobs.trainedModelSet(tenant, scans.stream().map(FinishedJobs.Uploaded::scanId).toList());
        FinishedJobs.Finished job = jobs.finish(tenant, "evaluate-record-" + UUID.randomUUID(), scans, set, 4);
        ObjectNode body = body(job, 2.5);

        Response first = post(tenant.apiKey(), set.id(), body);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        JsonNode shown = weightsOf(set.id());
        assertThat(shown.get("recordedBy").asText()).startsWith("api-key:").isEqualTo(JSON.readTree(first.asString())
                .get("recordedBy").asText());
        assertThat(shown.get("recordedAt").isTextual()).isTrue();
        FusionWeightsDocument recorded = FusionWeightsDocument.parse(shown);
        assertThat(recorded).isEqualTo(FusionWeightsDocument.parse(body));
        Map<String, Double> expected = pooledMemberMeanIoU(job);
        for (String m : MEMBERS) {
            assertThat(recorded.memberMeanIoU().get(m)).isCloseTo(expected.get(m), within(1e-12));
            assertThat(recorded.weights().get(m)).hasSize(21);
        }
        assertThat(recorded.weights().get("atlas")).containsOnly(2.5);

        // the same fit again: answered with what is recorded; another fit: refused, nothing changes
        Response again = post(tenant.apiKey(), set.id(), body);
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
        assertThat(JSON.readTree(again.asString()).get("recordedAt")).isEqualTo(shown.get("recordedAt"));
        assertRefused(post(tenant.apiKey(), set.id(), body(job, 3)), 409, "modelSetId",
                "already has fusion weights, fitted on evaluate job " + job.jobId());
        assertThat(FusionWeightsDocument.parse(weightsOf(set.id())).weights().get("atlas")).containsOnly(2.5);

        // the catalogue is shared: another tenant reads them too
        JsonNode seenByOther = JSON.readTree(api.request().header("X-Api-Key", other.apiKey()).get("/api/v1/models/" + set.id())
                .asString()).get("fusionWeights");
        assertThat(seenByOther).isEqualTo(shown);
        JsonNode audit = JSON.readTree(api.request().header("X-Api-Key", tenant.apiKey())
                .get("/api/v1/jobs/" + job.jobId() + "/audit").asString());
        assertThat(audit.path("modelSet").path("fusionWeights")).isEqualTo(shown);
    }

    @Test
    void aLearnedJobIsRefusedForASetWithoutWeightsAndAcceptedOnceItHasThem() {
        ModelSet set = jobs.trainedModelSet(tenant, scans.stream().map(FinishedJobs.Uploaded::scanId).toList());
        FinishedJobs.Finished job = jobs.finish(tenant, "evaluate-learned-" + UUID.randomUUID(), scans, set, 5);
        List<String> scanIds = scans.stream().map(s -> s.scanId().toString()).toList();

        List<Object> before = jobsOf(set);
        Response refused = api.submit(tenant.apiKey(), "learned-" + UUID.randomUUID(), Map.of("kind", "segment",
                "modelSetId", set.id().toString(), "scanIds", scanIds, "parameters", Map.of("fusion", " Learned ")));
        assertRefused(refused, 400, "parameters.fusion", "needs the fusion weights of model set " + set.id());
        assertThat((String) refused.path("detail")).contains("triplane model-set fit-fusion " + set.id() + " --from-job");
        assertThat(jobsOf(set)).as("nothing written for the refused job").isEqualTo(before).contains(job.jobId().toString());
        // another vote needs no weights
        Response majority = api.submit(tenant.apiKey(), "majority-" + UUID.randomUUID(), Map.of("kind", "segment",
                "modelSetId", set.id().toString(), "scanIds", scanIds, "parameters", Map.of("fusion", "majority")));
        assertThat(majority.statusCode()).as(majority.asString()).isEqualTo(201);

        assertThat(post(tenant.apiKey(), set.id(), body(job, 2)).statusCode()).isEqualTo(201);
        Response accepted = api.submit(tenant.apiKey(), "learned-" + UUID.randomUUID(), Map.of("kind", "segment",
                "modelSetId", set.id().toString(), "scanIds", scanIds, "parameters", Map.of("fusion", "learned")));
        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(201);
    }

    private static List<Object> jobsOf(ModelSet set) {
        return api.request().header("X-Api-Key", tenant.apiKey()).queryParam("modelSetId", set.id().toString())
                .get("/api/v1/jobs").jsonPath().getList("id");
    }

    private static JsonNode weightsOf(UUID set) {
        Response r = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/models/" + set);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        try {
            return JSON.readTree(r.asString()).get("fusionWeights");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
