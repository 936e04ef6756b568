package org.triplane.db.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.ModelSets;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** Results and metrics are upserts: redelivered fusion events leave one row per key. */
class ResultsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void writingTheSameResultAndMetricsTwiceLeavesOneRowEach() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "results")).id();
        UUID modelSet = db.worker().run(c -> ModelSets.create(c, "study-v1", "MAJORITY_2_OF_3", "test")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        Job job = db.app().inTenant(tenant,
                c -> Jobs.submit(c, aJob(tenant, List.of(scan)).optModelSetId(modelSet).build()).job());
        double voxelMl = 0.45 * 0.45 * 1.25 / 1000;
        List<ClassMetric> metrics = new ArrayList<>();
        for (MetricPlane plane : MetricPlane.values()) {
            for (int label = 0; label <= ClassMetric.MAX_CLASS; label++) {
                metrics.add(ClassMetric.fromCounts(new ClassMetric.Key(tenant, job.id(), scan, modelSet, plane, label),
                        100 + label, 10, 20, 1_000_000, voxelMl));
            }
        }
        ScanResult result = new ScanResult(tenant, job.id(), scan, modelSet, "results/" + job.id() + "/seg.nii.gz",
                null, "{\"AXIAL\": \"p/axial.bin\"}");

        for (int delivery = 0; delivery < 2; delivery++) {
            db.worker().run(c -> {
                Results.upsertResult(c, result);
                Results.upsertClassMetrics(c, metrics);
                return null;
            });
        }

        db.app().inTenant(tenant, c -> {
            assertThat(Results.findResult(c, job.id(), scan)).contains(result);
            List<ClassMetric> stored = Results.classMetrics(c, job.id(), scan);
            assertThat(stored).hasSize(MetricPlane.values().length * 21);
            assertThat(stored).containsExactlyInAnyOrderElementsOf(metrics);
            return null;
        });
    }
}
