package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.RepositoryParameterSets;
import org.triplane.gateway.testing.Residue;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.imaging.plane.Plane;

/**
 * Job parameters judged against their kind's schema at submission: a key the kind does not take or
 * a value its key refuses is a 400 naming {@code parameters.<key>} with no job and no outbox row
 * written; every parameter set the repository submits elsewhere is accepted, and its repeated
 * request answers 200 with the first job.
 */
class JobParametersIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Phantoms phantoms;
    /** A complete model set with learned fusion weights, so that every vote can be asked for. */
    private static UUID modelSet;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        phantoms = Phantoms.write(dir);
        modelSet = modelSetWithFusionWeights();
    }

    @Test
    void aKeyOrValueItsKindDoesNotTakeIsA400NamingTheKeyAndNothingIsWritten() {
        Api.Tenant tenant = api.createTenant("bad-parameters-" + UUID.randomUUID());
        List<String> scans = labelledScans(tenant);
        record Case(String kind, Map<String, Object> parameters, String part, String says) {
        }
        List<Case> cases = List.of(
                new Case("segment", Map.of("fusion", "median"), "fusion", "must be one of majority, confidence, learned"),
                new Case("segment", Map.of("fusionAtlasVote", true), "fusionAtlasVote", "did you mean fusionAtlasVoter?"),
                new Case("evaluate", Map.of("fusionAtlasVoter", "yes"), "fusionAtlasVoter", "must be true or false"),
                new Case("evaluate", Map.of("epochs", 3), "epochs", "a parameter of train jobs, not of an evaluate job"),
                new Case("train", Map.of("epoch", 3), "epoch", "did you mean epochs?"),
                new Case("train", Map.of("epochs", "3"), "epochs", "must be an integer ≥ 1, got \"3\""),
                new Case("train", Map.of("learningRate", 0), "learningRate", "must be a number > 0, got 0"),
                new Case("train", Map.of("preset", "large"), "preset", "must be one of small, tiny, study"),
                new Case("train", Map.of("alpha", Map.of("axal", 0.7)), "alpha", "has no plane 'axal'"),
                new Case("train", Map.of("atlasRegistration", "affine"), "atlasRegistration", "applies only with inputs"),
                new Case("train", Map.of("fusion", "majority"), "fusion", "not of a train job"),
                new Case("train", Map.of("validationScans", 2), "validationScans", "at most 1, got 2"));
        for (Case c : cases) {
            Response r = api.submit(tenant.apiKey(), "bad-" + UUID.randomUUID(), body(c.kind(), scans, c.parameters()));
            assertThat(r.statusCode()).as("%s %s: %s", c.kind(), c.parameters(), r.asString()).isEqualTo(400);
            assertThat(r.<String>path("part")).as("%s", c.parameters()).isEqualTo("parameters." + c.part());
            assertThat(r.<String>path("detail")).as("%s", c.parameters()).contains(c.says());
        }
        Response unknown = api.submit(tenant.apiKey(), "bad-" + UUID.randomUUID(), body("train", scans, Map.of("note", "x")));
        assertThat(unknown.<String>path("detail")).as("every key a train job takes is listed")
                .contains("a train job accepts preset, epochs, batchSize, learningRate, seed, validationScans, folds, "
                        + "inputs, atlasRegistration, positionChannel, gridSpacingMm, fieldOfViewMm, alpha, beta, "
                        + "crossEntropyWeight, modelSetName");
        Residue residue = new Residue(env);
        assertThat(residue.jobRows(tenant.id())).isZero();
        assertThat(residue.outboxRows(tenant.id())).isZero();
    }

    @Test
    void everyParameterSetTheRepositorySubmitsIsAcceptedAndItsRepeatAnswersTheFirstJob() {
        Api.Tenant tenant = api.createTenant("repository-parameters-" + UUID.randomUUID());
        List<String> scans = labelledScans(tenant);
        List<RepositoryParameterSets.ParameterSet> sets = RepositoryParameterSets.all(UUID.randomUUID().toString());
        for (RepositoryParameterSets.ParameterSet set : sets) {
            String key = "repository-" + UUID.randomUUID();
            Map<String, Object> body = body(set.kind(), scans, set.parameters());
            Response first = api.submit(tenant.apiKey(), key, body);
            assertThat(first.statusCode()).as("%s: %s", set.source(), first.asString()).isEqualTo(201);
            Response again = api.submit(tenant.apiKey(), key, body);
            assertThat(again.statusCode()).as("%s repeated: %s", set.source(), again.asString()).isEqualTo(200);
            assertThat(again.<String>path("id")).isEqualTo(first.<String>path("id"));
        }
        assertThat(new Residue(env).jobRows(tenant.id())).isEqualTo(sets.size());
    }

    private static Map<String, Object> body(String kind, List<String> scans, Map<String, Object> parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("scanIds", scans);
        body.put("parameters", parameters);
        if (!kind.equals("train")) {
            body.put("modelSetId", modelSet.toString());
        }
        return body;
    }

    /** Two scans uploaded with labels: what a train job needs, and any job can run. */
    private static List<String> labelledScans(Api.Tenant tenant) {
        return List.of(0, 1).stream().map(i -> {
            Phantoms.Subject s = phantoms.subject(i);
            Response r = api.upload(tenant.apiKey(), List.of(new Api.Part("ct", "ct.nii.gz", Phantoms.bytes(s.ct())),
                    new Api.Part("transform", "transform.txt", Phantoms.bytes(s.transform())),
                    new Api.Part("labels", "labels.nii.gz", Phantoms.bytes(s.labels()))));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
            return r.<String>path("id");
        }).toList();
    }

    /** Written as the schema owner, the way a trained and fitted set is recorded; weights recorded as shipped ones. */
    private static UUID modelSetWithFusionWeights() {
        ModelSet set = env.owner().tx().run(c -> ModelSets.create(c, "it-parameters-" + UUID.randomUUID(),
                "MAJORITY_2_OF_3", "it"));
        for (Plane p : Plane.values()) {
            env.owner().tx().run(c -> Models.insert(c, new Model(null, set.id(), p, "unet", "{\"preset\": \"tiny\"}",
                    1L, List.of(), List.of(), List.of(2.0, 2.0, 2.0), List.of(64, 64), "it", null, "{}",
                    "models/" + set.id() + "/" + p + "/weights.params", "0".repeat(64), null)));
        }
        env.owner().tx().run(c -> ModelSetFusionWeights.record(c, new FusionWeights(set.id(),
                Collections.nCopies(FusionWeights.MEMBERS * FusionWeights.LABELS, 1.0), UUID.randomUUID(),
                List.of(UUID.randomUUID()), 0.5, 0.5, List.of(0.5, 0.5, 0.5, 0.5), null, null, "it")));
        return set.id();
    }
}
