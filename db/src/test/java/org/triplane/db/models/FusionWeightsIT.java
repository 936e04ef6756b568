package org.triplane.db.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;
import org.triplane.imaging.plane.Plane;

/**
 * A model set's learned fusion weights: recorded once with who recorded them and when, never changed
 * (also not by the owner), readable by every role, naming only the recording tenant's own evaluate
 * job; a shipped set brings its weights along.
 */
class FusionWeightsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    /** A tenant with one scan and an EVALUATE job of a fresh model set. */
    private record Evaluated(UUID tenant, UUID scan, UUID job, UUID modelSet) {
    }

    private static Evaluated evaluated(String name) {
        UUID tenant = db.app().run(c -> Tenants.create(c, name)).id();
        UUID modelSet = db.worker().run(c -> ModelSets.create(c, name + "-" + UUID.randomUUID(), "MAJORITY_2_OF_3", "it"))
                .id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        UUID job = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(scan)).setKind(JobKind.EVALUATE)
                .optModelSetId(modelSet).build()).job()).id();
        return new Evaluated(tenant, scan, job, modelSet);
    }

    private static FusionWeights weights(Evaluated e, double scale, String by) {
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < FusionWeights.MEMBERS * FusionWeights.LABELS; i++) {
            w.add(scale * (i % 7) / 4.0);
        }
        return new FusionWeights(e.modelSet(), w, e.job(), List.of(e.scan()), 0.84, 0.83, List.of(0.82, 0.81, 0.8, 0.79),
                e.tenant(), null, by);
    }

    @Test
    void weightsAreRecordedOnceWithWhoAndWhenAndReadByEveryRole() {
        Evaluated e = evaluated("weights-once");
        FusionWeights first = weights(e, 1, "api-key:first");

        FusionWeightsRecording recorded = db.app().inTenant(e.tenant(), c -> ModelSetFusionWeights.record(c, first));
        FusionWeightsRecording again = db.app().inTenant(e.tenant(),
                c -> ModelSetFusionWeights.record(c, weights(e, 1, "api-key:second")));
        FusionWeightsRecording other = db.app().inTenant(e.tenant(),
                c -> ModelSetFusionWeights.record(c, weights(e, 2, "api-key:third")));

        assertThat(recorded.recorded()).isTrue();
        FusionWeights stored = recorded.weights();
        assertThat(stored.sameFit(first)).isTrue();
        assertThat(stored.weights()).isEqualTo(first.weights());
        assertThat(stored.scanIds()).containsExactly(e.scan());
        assertThat(stored.memberMeanIoU()).containsExactly(0.82, 0.81, 0.8, 0.79);
        assertThat(stored.tenantId()).isEqualTo(e.tenant());
        assertThat(stored.recordedBy()).isEqualTo("api-key:first");
        assertThat(stored.recordedAt()).isNotNull();
        // a second call changes nothing, whatever it brings; the caller compares
        assertThat(again.recorded()).isFalse();
        assertThat(again.weights().recordedBy()).isEqualTo("api-key:first");
        assertThat(again.weights().sameFit(weights(e, 1, "api-key:second"))).isTrue();
        assertThat(other.recorded()).isFalse();
        assertThat(other.weights().sameFit(weights(e, 2, "x"))).isFalse();
        // a shared catalogue like the model sets: read without a tenant, and by the workers
        Optional<FusionWeights> byApp = db.app().run(c -> ModelSetFusionWeights.find(c, e.modelSet()));
        Optional<FusionWeights> byWorker = db.worker().run(c -> ModelSetFusionWeights.find(c, e.modelSet()));
        Optional<FusionWeights> none = db.worker().run(c -> ModelSetFusionWeights.find(c, UUID.randomUUID()));
        assertThat(byApp.orElseThrow().sameFit(first)).isTrue();
        assertThat(byWorker).isPresent();
        assertThat(none).isEmpty();
    }

    @Test
    void concurrentRecordingsLeaveOneRow() throws Exception {
        Evaluated e = evaluated("weights-race");
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<FusionWeightsRecording>> runs = new ArrayList<>();
        for (double scale : new double[] {1, 3}) {
            runs.add(CompletableFuture.supplyAsync(() -> db.app().inTenant(e.tenant(), c -> {
                await(together);
                return ModelSetFusionWeights.record(c, weights(e, scale, "api-key:" + scale));
            })));
        }
        List<FusionWeightsRecording> done = new ArrayList<>();
        for (var f : runs) {
            done.add(f.get());
        }
        assertThat(done).filteredOn(FusionWeightsRecording::recorded).hasSize(1);
        assertThat(done.get(0).weights().sameFit(done.get(1).weights())).isTrue();
    }

    @Test
    void noRoleChangesOrRemovesRecordedWeights() {
        Evaluated e = evaluated("weights-fixed");
        db.app().inTenant(e.tenant(), c -> ModelSetFusionWeights.record(c, weights(e, 1, "api-key:k")));
        for (String sql : List.of("UPDATE model_set_fusion_weights SET mean_iou = 1 WHERE model_set_id = ?",
                "DELETE FROM model_set_fusion_weights WHERE model_set_id = ?")) {
            assertThatThrownBy(() -> db.ownerTx().run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setObject(1, e.modelSet());
                    return ps.executeUpdate();
                }
            })).isInstanceOf(DataAccessException.class).hasMessageContaining("recorded once and never changed");
        }
        assertThatThrownBy(() -> db.ownerTx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("TRUNCATE model_set_fusion_weights")) {
                return ps.executeUpdate();
            }
        })).isInstanceOf(DataAccessException.class).hasMessageContaining("recorded once and never changed");
    }

    @Test
    void aTenantNamesOnlyItsOwnEvaluateJob() {
        Evaluated mine = evaluated("weights-mine");
        Evaluated theirs = evaluated("weights-theirs");
        FusionWeights naming = new FusionWeights(mine.modelSet(), weights(mine, 1, "k").weights(), theirs.job(),
                List.of(theirs.scan()), 0.5, 0.5, List.of(0.5, 0.5, 0.5, 0.5), mine.tenant(), null, "api-key:k");
        assertThatThrownBy(() -> db.app().inTenant(mine.tenant(), c -> ModelSetFusionWeights.record(c, naming)))
                .isInstanceOf(DataAccessException.class);
        Optional<FusionWeights> none = db.app().run(c -> ModelSetFusionWeights.find(c, mine.modelSet()));
        assertThat(none).isEmpty();
    }

    @Test
    void theDatabaseRefusesWeightsOutsideTheirRange() {
        Evaluated e = evaluated("weights-range");
        List<Double> good = weights(e, 1, "k").weights();
        for (double bad : new double[] {-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            List<Double> w = new ArrayList<>(good);
            w.set(50, bad);
            assertThatThrownBy(() -> db.ownerTx().run(c -> insertRaw(c, e, w, 0.5))).isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("weights");
        }
        assertThatThrownBy(() -> db.ownerTx().run(c -> insertRaw(c, e, good.subList(0, 83), 0.5)))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("weights");
        assertThatThrownBy(() -> db.ownerTx().run(c -> insertRaw(c, e, good, Double.NaN)))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("mean_iou");
        assertThatThrownBy(() -> weights(e, 1, " ")).hasMessageStartingWith("recordedBy:");
        assertThatThrownBy(() -> new FusionWeights(e.modelSet(), good.subList(0, 83), e.job(), List.of(e.scan()), 0.5, 0.5,
                List.of(0.5, 0.5, 0.5, 0.5), e.tenant(), null, "k")).hasMessageStartingWith("weights:");
        assertThatThrownBy(() -> new FusionWeights(e.modelSet(), good, e.job(), Collections.emptyList(), 0.5, 0.5,
                List.of(0.5, 0.5, 0.5, 0.5), e.tenant(), null, "k")).hasMessageStartingWith("scanIds:");
    }

    private static int insertRaw(java.sql.Connection c, Evaluated e, List<Double> weights, double meanIoU)
            throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO model_set_fusion_weights (model_set_id, weights, evaluate_job_id, tenant_id, scan_ids, mean_iou,
                                                      equal_weights_mean_iou, member_mean_iou, recorded_by)
                VALUES (?, ?, ?, ?, ARRAY[?]::uuid[], ?, 0.5, '{0.5,0.5,0.5,0.5}', 'owner')""")) {
            ps.setObject(1, e.modelSet());
            ps.setArray(2, c.createArrayOf("float8", weights.toArray()));
            ps.setObject(3, e.job());
            ps.setObject(4, e.tenant());
            ps.setObject(5, e.scan());
            ps.setDouble(6, meanIoU);
            return ps.executeUpdate();
        }
    }

    @Test
    void resultsOfTheLearnedVoteAreRecorded() {
        Evaluated e = evaluated("weights-result");
        FusedResult learned = new FusedResult(e.tenant(), e.job(), e.scan(), e.modelSet(), "a.nii.gz", "r.nii.gz", "{}",
                "learned", "{}", null, null);
        boolean written = db.worker().run(c -> FusedResults.insertIfAbsent(c, learned));
        FusedResult stored = db.worker().run(c -> FusedResults.find(c, e.job(), e.scan())).orElseThrow();
        assertThat(written).isTrue();
        assertThat(stored.fusionMethod()).isEqualTo("learned");
    }

    @Test
    void aShippedSetBringsItsWeightsAlsoWhenFoundRegisteredWithoutThem() {
        String sha = "c".repeat(64);
        UUID id = ShippedModelSetRegistration.idFor(sha);
        List<Model> models = new ArrayList<>();
        for (Plane p : Plane.values()) {
            models.add(new Model(null, id, p, "unet", "{}", 7L, List.of(), List.of(), List.of(8.0, 8.0, 8.0), List.of(32, 20),
                    "abc", null, "{}", "models/" + id + "/" + p + "/weights.params", "b".repeat(64), null));
        }
        // registered first by a gateway that did not know fusion weights
        db.worker().run(c -> DefaultModelSets.registerShipped(c, new ShippedModelSetRegistration(id, "shipped-" + sha.substring(0, 12),
                "MAJORITY_2_OF_3", "abc", sha, models, "old-gateway", null)));
        Optional<FusionWeights> before = db.app().run(c -> ModelSetFusionWeights.find(c, id));
        assertThat(before).isEmpty();

        List<Double> w = Collections.nCopies(FusionWeights.MEMBERS * FusionWeights.LABELS, 1.0);
        UUID elsewhere = UUID.randomUUID();
        FusionWeights shipped = new FusionWeights(id, w, elsewhere, List.of(UUID.randomUUID()), 0.9, 0.88,
                List.of(0.87, 0.86, 0.85, 0.84), null, null, "new-gateway");
        DefaultRegistration r = db.worker().run(c -> DefaultModelSets.registerShipped(c, new ShippedModelSetRegistration(
                id, "shipped-" + sha.substring(0, 12), "MAJORITY_2_OF_3", "abc", sha, models, "new-gateway", shipped)));

        assertThat(r.registered()).isFalse();
        FusionWeights stored = db.app().run(c -> ModelSetFusionWeights.find(c, id)).orElseThrow();
        assertThat(stored.sameFit(shipped)).isTrue();
        assertThat(stored.tenantId()).isNull();
        assertThat(stored.evaluateJobId()).isEqualTo(elsewhere);
        assertThat(stored.recordedBy()).isEqualTo("new-gateway");
        assertThatThrownBy(() -> new ShippedModelSetRegistration(id, "x", "MAJORITY_2_OF_3", "abc", sha, models, "g",
                new FusionWeights(UUID.randomUUID(), w, elsewhere, List.of(elsewhere), 0.9, 0.9, List.of(0.9, 0.9, 0.9, 0.9),
                        null, null, "g"))).hasMessageStartingWith("fusionWeights:");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
