package org.triplane.db.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.JobStore;
import org.triplane.db.jobs.Job;
import org.triplane.db.testing.TestDatabase;

/** A fused result is written once per (job, scan); a second write leaves the first untouched. */
class FusedResultsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final JobStore store = new JobStore();

    @Test
    void theFirstFusedResultStandsAndASecondWriteChangesNothing() {
        UUID tenant = db.app().run(c -> store.createTenant(c, "fused")).id();
        UUID modelSet = db.worker().run(c -> store.createModelSet(c, "fused-v1", "MAJORITY_2_OF_3", "test")).id();
        UUID scan = db.app().inTenant(tenant, c -> store.insertScan(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant,
                c -> store.submitJob(c, aJob(tenant, List.of(scan)).optModelSetId(modelSet).build()).job());
        FusedResult first = new FusedResult(tenant, job.id(), scan, modelSet, "fused/labels-acquired.nii.gz",
                "fused/labels-rotated.nii.gz", "{\"axial\": {\"labels\": \"a\", \"confidence\": \"b\"}}", "confidence+atlas",
                "{\"regions\": [1, 2]}", "{\"fused\": {\"meanIoU\": 0.5}}", null);
        FusedResult second = new FusedResult(tenant, job.id(), scan, modelSet, "other/acquired.nii.gz",
                "other/rotated.nii.gz", "{}", "majority", "{\"regions\": []}", null, "report.html");

        boolean firstWritten = db.worker().run(c -> store.recordFusedResult(c, first));
        boolean secondWritten = db.worker().run(c -> store.recordFusedResult(c, second));
        assertThat(firstWritten).isTrue();
        assertThat(secondWritten).isFalse();

        db.app().inTenant(tenant, c -> {
            FusedResult stored = store.findFusedResult(c, job.id(), scan).orElseThrow();
            assertThat(stored.segmentationKey()).isEqualTo(first.segmentationKey());
            assertThat(stored.rotatedSegmentationKey()).isEqualTo(first.rotatedSegmentationKey());
            assertThat(stored.fusionMethod()).isEqualTo("confidence+atlas");
            assertThat(stored.modelSetId()).isEqualTo(modelSet);
            assertThat(stored.reportKey()).isNull();
            // why: jsonb normalises whitespace; compare what was stored, not its spelling
            assertThat(stored.planeKeysJson()).isEqualTo("{\"axial\": {\"labels\": \"a\", \"confidence\": \"b\"}}");
            assertThat(stored.regionStatisticsJson()).isEqualTo("{\"regions\": [1, 2]}");
            assertThat(stored.evaluationJson()).isEqualTo("{\"fused\": {\"meanIoU\": 0.5}}");
            // the same row, as the older reader sees it
            ScanResult plain = store.findResult(c, job.id(), scan).orElseThrow();
            assertThat(plain.segmentationKey()).isEqualTo(first.segmentationKey());
            return null;
        });
    }

    @Test
    void aResultWithoutEvaluationIsStoredWithANullEvaluation() {
        UUID tenant = db.app().run(c -> store.createTenant(c, "fused-unlabelled")).id();
        UUID scan = db.app().inTenant(tenant, c -> store.insertScan(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant, c -> store.submitJob(c, aJob(tenant, List.of(scan)).build()).job());
        db.worker().run(c -> store.recordFusedResult(c, new FusedResult(tenant, job.id(), scan, null, "a.nii.gz",
                "r.nii.gz", null, "majority", "{}", null, null)));
        FusedResult stored = db.worker().run(c -> store.findFusedResult(c, job.id(), scan)).orElseThrow();
        assertThat(stored.evaluationJson()).isNull();
        assertThat(stored.planeKeysJson()).isEqualTo("{}");
        Optional<FusedResult> none = db.worker().run(c -> store.findFusedResult(c, job.id(), UUID.randomUUID()));
        assertThat(none).isEmpty();
    }

    @Test
    void theDatabaseRefusesAnUnknownFusionMethodAndTheRecordRefusesBlankKeys() {
        assertThatThrownBy(() -> new FusedResult(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null, "a", "r",
                "{}", "median", "{}", null, null)).hasMessageContaining("fusionMethod");
        assertThatThrownBy(() -> new FusedResult(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null, "a", " ",
                "{}", "majority", "{}", null, null)).hasMessageContaining("rotatedSegmentationKey");
        UUID tenant = db.app().run(c -> store.createTenant(c, "fused-check")).id();
        UUID scan = db.app().inTenant(tenant, c -> store.insertScan(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant, c -> store.submitJob(c, aJob(tenant, List.of(scan)).build()).job());
        assertThatThrownBy(() -> db.ownerTx().run(c -> {
            try (var st = c.prepareStatement("INSERT INTO results (tenant_id, job_id, scan_id, segmentation_key, fusion_method)"
                    + " VALUES (?, ?, ?, 'k', 'median')")) {
                st.setObject(1, tenant);
                st.setObject(2, job.id());
                st.setObject(3, scan);
                return st.executeUpdate();
            }
        })).hasMessageContaining("fusion_method");
    }
}
