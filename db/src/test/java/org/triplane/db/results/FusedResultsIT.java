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
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.ModelSets;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** A fused result is written once per (job, scan); a second write leaves the first untouched. */
class FusedResultsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void theFirstFusedResultStandsAndASecondWriteChangesNothing() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "fused")).id();
        UUID modelSet = db.worker().run(c -> ModelSets.create(c, "fused-v1", "MAJORITY_2_OF_3", "test")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant,
                c -> Jobs.submit(c, aJob(tenant, List.of(scan)).optModelSetId(modelSet).build()).job());
        FusedResult first = new FusedResult(tenant, job.id(), scan, modelSet, "fused/labels-acquired.nii.gz",
                "fused/labels-rotated.nii.gz", "{\"axial\": {\"labels\": \"a\", \"confidence\": \"b\"}}", "confidence+atlas",
                "{\"regions\": [1, 2]}", "{\"fused\": {\"meanIoU\": 0.5}}", null);
        FusedResult second = new FusedResult(tenant, job.id(), scan, modelSet, "other/acquired.nii.gz",
                "other/rotated.nii.gz", "{}", "majority", "{\"regions\": []}", null, "report.html");

        boolean firstWritten = db.worker().run(c -> FusedResults.insertIfAbsent(c, first));
        boolean secondWritten = db.worker().run(c -> FusedResults.insertIfAbsent(c, second));
        assertThat(firstWritten).isTrue();
        assertThat(secondWritten).isFalse();

        db.app().inTenant(tenant, c -> {
            FusedResult stored = FusedResults.find(c, job.id(), scan).orElseThrow();
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
            ScanResult plain = Results.findResult(c, job.id(), scan).orElseThrow();
            assertThat(plain.segmentationKey()).isEqualTo(first.segmentationKey());
            return null;
        });
    }

    @Test
    void aResultWithoutEvaluationIsStoredWithANullEvaluation() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "fused-unlabelled")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(scan)).build()).job());
        db.worker().run(c -> FusedResults.insertIfAbsent(c, new FusedResult(tenant, job.id(), scan, null, "a.nii.gz",
                "r.nii.gz", null, "majority", "{}", null, null)));
        FusedResult stored = db.worker().run(c -> FusedResults.find(c, job.id(), scan)).orElseThrow();
        assertThat(stored.evaluationJson()).isNull();
        assertThat(stored.planeKeysJson()).isEqualTo("{}");
        Optional<FusedResult> none = db.worker().run(c -> FusedResults.find(c, job.id(), UUID.randomUUID()));
        assertThat(none).isEmpty();
    }

    @Test
    void theDatabaseRefusesAnUnknownFusionMethodAndTheRecordRefusesBlankKeys() {
        assertThatThrownBy(() -> new FusedResult(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null, "a", "r",
                "{}", "median", "{}", null, null)).hasMessageContaining("fusionMethod");
        assertThatThrownBy(() -> new FusedResult(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), null, "a", " ",
                "{}", "majority", "{}", null, null)).hasMessageContaining("rotatedSegmentationKey");
        UUID tenant = db.app().run(c -> Tenants.create(c, "fused-check")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(scan)).build()).job());
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
