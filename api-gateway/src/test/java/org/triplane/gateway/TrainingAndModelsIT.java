package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.Database;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.models.TrainingEpochs;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.Tasks;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.Residue;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.imaging.plane.Plane;
import org.triplane.messaging.EventCodec;
import org.triplane.testing.TopicReader;

/**
 * Train jobs (labelled scans required, scan events like any job), model sets named by segment jobs
 * (must exist with all three planes' models), the shared model registry and a train job's
 * per-epoch history. Model sets, models, TRAIN tasks and epochs are written here the way the
 * preprocess- and gpu-workers write them: through the `db` stores, as the schema owner.
 */
class TrainingAndModelsIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Phantoms phantoms;
    private static Database owner;
    private static Api.Tenant tenant;
    private static final List<UUID> labelled = new ArrayList<>();
    private static UUID unlabelled;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        phantoms = Phantoms.write(dir);
        owner = env.owner();
        tenant = api.createTenant("training-" + UUID.randomUUID());
        for (int i = 0; i < 2; i++) {
            labelled.add(upload(tenant, phantoms.subject(i), true));
        }
        unlabelled = upload(tenant, phantoms.subject(2), false);
    }

    @Test
    void aTrainJobWithAnUnlabelledScanIsRefusedNamingItAndNothingIsWritten() {
        Api.Tenant fresh = api.createTenant("unlabelled-" + UUID.randomUUID());
        UUID withLabels = upload(fresh, phantoms.subject(0), true);
        UUID without = upload(fresh, phantoms.subject(1), false);

        Response r = api.submit(fresh.apiKey(), "train-1", "train", List.of(withLabels, without));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.<String>path("part")).isEqualTo("scanIds");
        assertThat(r.<String>path("detail")).contains(without.toString()).doesNotContain(withLabels.toString())
                .contains("label");
        Residue residue = new Residue(env);
        assertThat(residue.jobRows(fresh.id())).isZero();
        assertThat(residue.outboxRows(fresh.id())).isZero();
    }

    @Test
    void aTrainJobNeedsTwoScansAndParametersThatAreAJsonObject() {
        Response one = api.submit(tenant.apiKey(), "train-one", "train", List.of(labelled.get(0)));
        assertThat(one.statusCode()).as(one.asString()).isEqualTo(400);
        assertThat(one.<String>path("part")).isEqualTo("scanIds");
        assertThat(one.<String>path("detail")).contains("at least 2");

        Response notAnObject = api.submit(tenant.apiKey(), "train-array", Map.of("kind", "train",
                "scanIds", ids(labelled), "parameters", List.of(1, 2)));
        assertThat(notAnObject.statusCode()).as(notAnObject.asString()).isEqualTo(400);
        assertThat(notAnObject.<String>path("part")).isEqualTo("parameters");

        Response withSet = api.submit(tenant.apiKey(), "train-set", Map.of("kind", "train",
                "scanIds", ids(labelled), "modelSetId", UUID.randomUUID().toString()));
        assertThat(withSet.statusCode()).as(withSet.asString()).isEqualTo(400);
        assertThat(withSet.<String>path("part")).isEqualTo("modelSetId");
    }

    @Test
    void aTrainJobOfLabelledScansEmitsOneScanEventPerScanAndItsTrainingIsReadable() {
        EventCodec codec = new EventCodec();
        Map<String, Object> parameters = Map.of("epochs", 3, "alpha", Map.of("sagittal", 0.8),
                "modelSetName", "it-" + UUID.randomUUID());
        UUID jobId;
        try (TopicReader reader = new TopicReader(env.stack().kafkaBootstrap(), Topics.SCAN_EVENTS)) {
            Response r = api.submit(tenant.apiKey(), "train-ok", Map.of("kind", "train", "scanIds", ids(labelled),
                    "parameters", parameters));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
            jobId = UUID.fromString(r.path("id"));
            UUID job = jobId;
            List<ScanEvent> events = reader.awaitRecords("the scan events of job " + job,
                            rec -> codec.decodeScanEvent(rec.value()).jobId().equals(job), got -> got.size() >= 2, Duration.ofSeconds(30))
                    .stream().map(ConsumerRecord::value).map(codec::decodeScanEvent).toList();
            assertThat(events).extracting(ScanEvent::scanId).containsExactlyInAnyOrderElementsOf(labelled);
            assertThat(events).allSatisfy(e -> assertThat(e.labelsKey()).endsWith("/labels.nii.gz"));
        }
        JsonPath submitted = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs/" + jobId)
                .then().statusCode(200).extract().jsonPath();
        assertThat(submitted.getString("kind")).isEqualTo("TRAIN");
        assertThat(submitted.getInt("parameters.epochs")).isEqualTo(3);
        assertThat(submitted.getDouble("parameters.alpha.sagittal")).isEqualTo(0.8);

        JsonPath before = training(tenant, jobId).then().statusCode(200).extract().jsonPath();
        assertThat(before.getList("tasks")).isEmpty();
        assertThat(before.getString("modelSetId")).isNull();
        assertThat(before.getString("crossValidation")).as("a job without folds").isNull();

        // what the preprocess-worker and a gpu-worker record once the scans are preprocessed
        Job job = owner.tx().run(c -> Jobs.find(c, jobId)).orElseThrow();
        List<Task> tasks = new ArrayList<>();
        for (Plane p : List.of(Plane.SAGITTAL, Plane.AXIAL, Plane.CORONAL)) {
            tasks.add(owner.tx().run(c -> Tasks.create(c, NewTask.forTraining(job, p), "it")));
        }
        Task axial = tasks.get(1);
        Task running = owner.tx().run(c -> Tasks.claim(c, axial.id(), "gpu-7", 60)).orElseThrow();
        owner.tx().run(c -> Tasks.recordRun(c, running, "cuda:0", null));
        List<Double> iou = new ArrayList<>(Collections.nCopies(21, 0.5));
        iou.set(3, Double.NaN);
        owner.tx().run(c -> {
            TrainingEpochs.upsert(c, new TrainingEpoch(axial.id(), tenant.id(), 1, 2, 0.6, 1.2, 0.02, 0.7, 1.4, 0.03, 0.41,
                    iou, 4.5, null));
            TrainingEpochs.upsert(c, new TrainingEpoch(axial.id(), tenant.id(), 1, 1, 0.9, null, null, null, null, null, null,
                    null, 5.0, null));
            return null;
        });

        JsonPath t = training(tenant, jobId).then().statusCode(200).extract().jsonPath();
        assertThat(t.getString("jobId")).isEqualTo(jobId.toString());
        assertThat(t.getList("tasks.plane")).containsExactly("AXIAL", "CORONAL", "SAGITTAL");
        assertThat(t.getList("tasks.fold")).containsExactly(null, null, null);
        assertThat(t.getString("crossValidation")).isNull();
        assertThat(t.getString("tasks[0].state")).isEqualTo("RUNNING");
        assertThat(t.getString("tasks[0].worker")).isEqualTo("gpu-7");
        assertThat(t.getString("tasks[0].device")).isEqualTo("cuda:0");
        assertThat(t.getInt("tasks[0].attempt")).isEqualTo(1);
        assertThat(t.getList("tasks[0].epochs.epoch", Integer.class)).containsExactly(1, 2);
        assertThat(t.getDouble("tasks[0].epochs[1].trainLoss")).isEqualTo(0.6);
        assertThat(t.getDouble("tasks[0].epochs[1].validationMeanIou")).isEqualTo(0.41);
        assertThat(t.getList("tasks[0].epochs[1].validationIou")).hasSize(21);
        assertThat(t.getString("tasks[0].epochs[1].validationIou[3]")).as("NaN answered as null").isNull();
        assertThat(t.getDouble("tasks[0].epochs[1].validationIou[4]")).isEqualTo(0.5);
        assertThat(t.getString("tasks[0].epochs[0].validationIou")).isNull();
        assertThat(t.getList("tasks[1].epochs")).isEmpty();
        assertThat(t.getString("tasks[1].state")).isEqualTo("PENDING");

        Api.Tenant other = api.createTenant("other-" + UUID.randomUUID());
        training(other, jobId).then().statusCode(404);
        api.request().get("/api/v1/jobs/" + jobId + "/training").then().statusCode(401);
        UUID segment = UUID.fromString(api.submit(tenant.apiKey(), "segment-" + UUID.randomUUID(), "segment",
                List.of(unlabelled), env.modelSet()).then().statusCode(201).extract().path("id"));
        Response notTraining = training(tenant, segment);
        assertThat(notTraining.statusCode()).isEqualTo(404);
        assertThat(notTraining.<String>path("detail")).contains("SEGMENT");
    }

    @Test
    void aTakenModelSetNameIsAConflict() {
        String name = "taken-" + UUID.randomUUID();
        owner.tx().run(c -> ModelSets.create(c, name, "MAJORITY_2_OF_3", "v"));

        Response r = api.submit(tenant.apiKey(), "train-taken", Map.of("kind", "train", "scanIds", ids(labelled),
                "parameters", Map.of("modelSetName", name)));

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(409);
        assertThat(r.<String>path("part")).isEqualTo("parameters.modelSetName");
        assertThat(r.<String>path("detail")).contains(name);
    }

    @Test
    void aSegmentJobMayOnlyNameAModelSetWithAModelForEveryPlane() {
        ModelSet partial = modelSet(List.of(Plane.AXIAL, Plane.CORONAL));
        ModelSet complete = modelSet(List.of(Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL));
        UUID unknown = UUID.randomUUID();
        int jobsBefore = new Residue(env).jobRows(tenant.id());

        Response missing = submitSegment("seg-unknown", Map.of("modelSetId", unknown.toString()));
        assertThat(missing.statusCode()).as(missing.asString()).isEqualTo(404);
        assertThat(missing.<String>path("part")).isEqualTo("modelSetId");
        assertThat(missing.<String>path("detail")).contains(unknown.toString());

        Map<String, Object> viaParameter = Map.of("parameters", Map.of("modelSetId", partial.id().toString()));
        Response incomplete = submitSegment("seg-partial", viaParameter);
        assertThat(incomplete.statusCode()).as(incomplete.asString()).isEqualTo(409);
        assertThat(incomplete.<String>path("detail"))
                .contains("model set " + partial.id()).contains("has no model for plane SAGITTAL");
        assertThat(new Residue(env).jobRows(tenant.id())).isEqualTo(jobsBefore);

        Response disagree = submitSegment("seg-disagree", Map.of("modelSetId", complete.id().toString(),
                "parameters", Map.of("modelSetId", partial.id().toString())));
        assertThat(disagree.statusCode()).isEqualTo(400);
        assertThat(disagree.<String>path("part")).isEqualTo("modelSetId");

        Response ok = submitSegment("seg-complete", Map.of("modelSetId", complete.id().toString()));
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(201);
        assertThat(ok.<String>path("modelSetId")).isEqualTo(complete.id().toString());
        Response okViaParameter = submitSegment("seg-complete-p", Map.of("parameters",
                Map.of("modelSetId", complete.id().toString())));
        assertThat(okViaParameter.statusCode()).as(okViaParameter.asString()).isEqualTo(201);
        assertThat(okViaParameter.<String>path("modelSetId")).isEqualTo(complete.id().toString());
        int jobsWithSets = new Residue(env).jobRows(tenant.id());
        Response without = submitSegment("seg-none", Map.of());
        assertThat(without.statusCode()).as("no default model set is registered in this stack: %s", without.asString())
                .isEqualTo(409);
        assertThat(without.<String>path("part")).isEqualTo("modelSetId");
        assertThat(new Residue(env).jobRows(tenant.id())).isEqualTo(jobsWithSets);
    }

    @Test
    void theModelRegistryIsSharedByAllTenantsNewestFirst() {
        ModelSet older = modelSet(List.of(Plane.AXIAL, Plane.CORONAL, Plane.SAGITTAL));
        ModelSet newer = modelSet(List.of(Plane.CORONAL));
        Api.Tenant anyTenant = api.createTenant("reader-" + UUID.randomUUID());

        JsonPath registry = api.request().header("X-Api-Key", anyTenant.apiKey()).queryParam("limit", 1000)
                .get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        List<String> ids = registry.getList("id");
        List<String> setOfEach = registry.getList("modelSetId");
        int newest = setOfEach.indexOf(newer.id().toString());
        int oldest = setOfEach.indexOf(older.id().toString());
        assertThat(newest).isGreaterThanOrEqualTo(0).isLessThan(oldest);
        List<Instant> created = registry.<String>getList("createdAt").stream().map(Instant::parse).toList();
        assertThat(created).isSortedAccordingTo(Collections.reverseOrder());
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(registry.getDouble("[" + newest + "].hyperParameters.alpha")).as("JSON parsed").isEqualTo(0.85);
        assertThat(registry.getDouble("[" + newest + "].validationMetrics.meanIoU")).isEqualTo(0.61);
        assertThat(registry.getList("[" + newest + "].voxelSpacingMm", Double.class)).containsExactly(2.0, 2.0, 2.0);
        assertThat(registry.getList("[" + newest + "].sliceSize", Integer.class)).containsExactly(128, 80);

        JsonPath set = api.request().header("X-Api-Key", anyTenant.apiKey()).get("/api/v1/models/" + older.id())
                .then().statusCode(200).extract().jsonPath();
        assertThat(set.getString("name")).isEqualTo(older.name());
        assertThat(set.getString("fusionRule")).isEqualTo("MAJORITY_2_OF_3");
        assertThat(set.getBoolean("complete")).isTrue();
        assertThat(set.getList("models.plane")).containsExactly("AXIAL", "CORONAL", "SAGITTAL");
        assertThat(api.request().header("X-Api-Key", anyTenant.apiKey()).get("/api/v1/models/" + newer.id())
                .then().statusCode(200).extract().jsonPath().getBoolean("complete")).isFalse();

        api.request().header("X-Api-Key", anyTenant.apiKey()).get("/api/v1/models/" + UUID.randomUUID()).then().statusCode(404);
        api.request().get("/api/v1/models").then().statusCode(401);
        api.request().header("X-Api-Key", anyTenant.apiKey()).queryParam("limit", 0).get("/api/v1/models").then().statusCode(400);
        assertThat(api.request().get("/q/openapi").then().statusCode(200).extract().asString())
                .contains("/api/v1/models", "/api/v1/jobs/{id}/training", "shared by all tenants", "learningRate",
                        "validationScans", "folds", "crossValidation", "positionChannel", "gridSpacingMm", "modelSetName");
    }

    @Test
    void aFoldsParameterThatCannotBeUsedIsRefusedNamingItAndNothingIsWritten() {
        int jobsBefore = new Residue(env).jobRows(tenant.id());
        List<Map<String, Object>> bad = List.of(Map.of("folds", "two"), Map.of("folds", 2.5), Map.of("folds", 1),
                Map.of("folds", 3), Map.of("folds", 2, "validationScans", 1));
        List<String> says = List.of("must be an integer", "must be an integer", "at least 2",
                "must not exceed the job's 2 scans", "cannot be combined with validationScans");
        for (int i = 0; i < bad.size(); i++) {
            Response r = api.submit(tenant.apiKey(), "train-folds-" + UUID.randomUUID(), Map.of("kind", "train",
                    "scanIds", ids(labelled), "parameters", bad.get(i)));
            assertThat(r.statusCode()).as("%s: %s", bad.get(i), r.asString()).isEqualTo(400);
            assertThat(r.<String>path("part")).isEqualTo("parameters.folds");
            assertThat(r.<String>path("detail")).as("%s", bad.get(i)).contains("folds").contains(says.get(i));
        }
        assertThat(new Residue(env).jobRows(tenant.id())).isEqualTo(jobsBefore);

        String name = "cv-taken-" + UUID.randomUUID();
        owner.tx().run(c -> ModelSets.create(c, name + "-fold2of2", "MAJORITY_2_OF_3", "v"));
        Response taken = api.submit(tenant.apiKey(), "train-folds-taken", Map.of("kind", "train", "scanIds", ids(labelled),
                "parameters", Map.of("folds", 2, "modelSetName", name)));
        assertThat(taken.statusCode()).as(taken.asString()).isEqualTo(409);
        assertThat(taken.<String>path("detail")).contains(name + "-fold2of2");
    }

    @Test
    void aKFoldJobsTrainingShowsEveryFoldAndTheirCrossValidationAndTheRegistryAndItsReportItsFolds() {
        Response r = api.submit(tenant.apiKey(), "train-2-fold", Map.of("kind", "train", "scanIds", ids(labelled),
                "parameters", Map.of("folds", 2, "epochs", 1)));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        UUID jobId = UUID.fromString(r.path("id"));

        // what the preprocess-worker and the gpu-workers record for a two-fold job
        Job job = owner.tx().run(c -> Jobs.find(c, jobId)).orElseThrow();
        List<ModelSet> sets = new ArrayList<>();
        for (int fold = 1; fold <= 2; fold++) {
            int f = fold;
            sets.add(owner.tx().run(c -> ModelSets.create(c, "train-" + jobId + "-fold" + f + "of2",
                    "MAJORITY_2_OF_3", "it", jobId, f, 2)));
            for (Plane p : Plane.values()) {
                owner.tx().run(c -> Tasks.create(c, NewTask.forTrainingFold(job, p, f), "it"));
            }
        }
        // best validation mean IoU per (plane, fold); sagittal fold 2 still training
        foldModel(sets.get(0), Plane.AXIAL, 0.4);
        foldModel(sets.get(1), Plane.AXIAL, 0.6);
        foldModel(sets.get(0), Plane.CORONAL, 0.55);
        foldModel(sets.get(1), Plane.CORONAL, 0.85);
        foldModel(sets.get(0), Plane.SAGITTAL, 0.3);

        JsonPath t = training(tenant, jobId).then().statusCode(200).extract().jsonPath();
        assertThat(t.getString("modelSetId")).isNull();
        assertThat(t.getList("tasks.plane")).containsExactly("AXIAL", "AXIAL", "CORONAL", "CORONAL", "SAGITTAL", "SAGITTAL");
        assertThat(t.getList("tasks.fold", Integer.class)).containsExactly(1, 2, 1, 2, 1, 2);
        assertThat(t.getInt("crossValidation.folds")).isEqualTo(2);
        assertThat(t.getList("crossValidation.planes.plane")).containsExactly("AXIAL", "CORONAL", "SAGITTAL");
        assertThat(t.getList("crossValidation.planes[0].folds.modelSetId"))
                .containsExactly(sets.get(0).id().toString(), sets.get(1).id().toString());
        assertThat(t.getList("crossValidation.planes[0].folds.bestValidationMeanIou", Double.class)).containsExactly(0.4, 0.6);
        // why 1e-6: JsonPath reads JSON numbers as float
        // axial: mean (0.4 + 0.6) / 2 = 0.5, sd sqrt((0.1² + 0.1²) / (2 - 1)) = sqrt(0.02)
        assertThat(t.getDouble("crossValidation.planes[0].mean")).isCloseTo(0.5, within(1e-6));
        assertThat(t.getDouble("crossValidation.planes[0].sd")).isCloseTo(Math.sqrt(0.02), within(1e-6));
        // coronal: mean 0.7, sd sqrt(2 · 0.15² / 1) = 0.15 · sqrt(2)
        assertThat(t.getDouble("crossValidation.planes[1].mean")).isCloseTo(0.7, within(1e-6));
        assertThat(t.getDouble("crossValidation.planes[1].sd")).isCloseTo(0.15 * Math.sqrt(2), within(1e-6));
        assertThat(t.getDouble("crossValidation.planes[2].mean")).isCloseTo(0.3, within(1e-6));
        assertThat(t.getString("crossValidation.planes[2].sd")).isNull();
        assertThat(t.getString("crossValidation.planes[2].folds[1].modelId")).isNull();

        JsonPath jobView = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs/" + jobId)
                .then().statusCode(200).extract().jsonPath();
        assertThat(jobView.getList("tasks.fold", Integer.class)).containsExactlyInAnyOrder(1, 1, 1, 2, 2, 2);

        JsonPath set = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/models/" + sets.get(1).id())
                .then().statusCode(200).extract().jsonPath();
        assertThat(set.getString("trainingJobId")).isEqualTo(jobId.toString());
        assertThat(set.getInt("fold")).isEqualTo(2);
        assertThat(set.getInt("foldCount")).isEqualTo(2);
        assertThat(set.getList("models.fold", Integer.class)).containsExactly(2, 2);
        JsonPath registry = api.request().header("X-Api-Key", tenant.apiKey()).queryParam("limit", 1000)
                .get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        int i = registry.<String>getList("modelSetId").indexOf(sets.get(0).id().toString());
        assertThat(i).isGreaterThanOrEqualTo(0);
        assertThat(registry.getString("[" + i + "].trainingJobId")).isEqualTo(jobId.toString());
        assertThat(registry.getInt("[" + i + "].fold")).isEqualTo(1);
        assertThat(registry.getInt("[" + i + "].foldCount")).isEqualTo(2);

        // once trained, the job's report names the fold sets: the job itself names no model set
        owner.tx().run(c -> Jobs.transition(c, Jobs.transition(c, job, JobState.RUNNING, "it", "training"),
                JobState.SUCCEEDED, "it", "every fold trained"));
        String report = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs/" + jobId + "/report")
                .then().statusCode(200).extract().asString();
        assertThat(report).contains("<dt>model sets</dt><dd>" + sets.get(0).name() + " (" + sets.get(0).id() + "), "
                + sets.get(1).name() + " (" + sets.get(1).id() + ")</dd>").doesNotContain("<dt>model set</dt>");
    }

    // ---- helpers ----

    private static UUID upload(Api.Tenant t, Phantoms.Subject s, boolean withLabels) {
        List<Api.Part> parts = new ArrayList<>(List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                new Api.Part("transform", "transform.txt", Phantoms.bytes(s.transform()))));
        if (withLabels) {
            parts.add(new Api.Part("labels", "labels.nii.gz", Phantoms.bytes(s.labels())));
        }
        Response r = api.upload(t.apiKey(), parts);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return UUID.fromString(r.path("id"));
    }

    private static List<String> ids(List<UUID> scans) {
        return scans.stream().map(UUID::toString).toList();
    }

    private static Response training(Api.Tenant t, UUID jobId) {
        return api.request().header("X-Api-Key", t.apiKey()).get("/api/v1/jobs/" + jobId + "/training");
    }

    private static Response submitSegment(String key, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("kind", "segment");
        body.put("scanIds", List.of(unlabelled.toString()));
        return api.submit(tenant.apiKey(), key + "-" + UUID.randomUUID(), body);
    }

    /** A fold set's model of {@code plane} with its best validation mean IoU, registered as a gpu-worker would. */
    private static void foldModel(ModelSet set, Plane plane, double meanIoU) {
        owner.tx().run(c -> Models.insert(c, new Model(null, set.id(), plane, "unet", "{\"fold\": " + set.fold() + "}",
                5L, List.of(labelled.get(0)), List.of("a".repeat(64)), List.of(8.0, 8.0, 8.0), List.of(32, 20), "it", 1.0,
                "{\"bestEpoch\": 1, \"meanIoU\": " + meanIoU + "}", "models/" + set.id() + "/" + plane + ".params",
                "b".repeat(64), null)));
    }

    /** A model set with a model for each of {@code planes}, registered as a gpu-worker would. */
    private static ModelSet modelSet(List<Plane> planes) {
        ModelSet set = owner.tx().run(c -> ModelSets.create(c, "set-" + UUID.randomUUID(), "MAJORITY_2_OF_3", "it"));
        for (Plane p : planes) {
            owner.tx().run(c -> Models.insert(c, new Model(null, set.id(), p, "unet",
                    "{\"preset\": \"small\", \"alpha\": 0.85}", 42L, List.of(labelled.get(0)), List.of("a".repeat(64)),
                    List.of(2.0, 2.0, 2.0), List.of(128, 80), "it", 12.5, "{\"meanIoU\": 0.61}",
                    "models/" + set.id() + "/" + p + ".params", "b".repeat(64), null)));
        }
        return set;
    }
}
