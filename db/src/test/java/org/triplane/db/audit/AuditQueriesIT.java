package org.triplane.db.audit;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;
import static org.assertj.core.api.Assertions.within;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;
import static org.triplane.db.testing.TestData.anObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.ComparedScan;
import org.triplane.db.results.MetricComparison;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.results.MetricSummary;
import org.triplane.db.results.ModelSetComparison;
import org.triplane.db.results.Results;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * The audit and comparison reads: job lists filtered in SQL (model set, model, state, kind, time),
 * scans by CT checksum, a job's metrics filtered and summarised, and paired metric means between
 * jobs and between model sets (the latest finished job per set and scan). All through the app role,
 * so row-level security applies; expected numbers are worked out by hand from the counts written.
 */
class AuditQueriesIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final double VOXEL_ML = 0.001;
    private static final long N = 1000;

    private static UUID tenant;
    private static UUID otherTenant;
    private static StoredObject sharedCt;
    private static UUID s1;
    private static UUID s2;
    private static UUID otherScan;
    private static ModelSet setX;
    private static ModelSet setY;
    private static Model modelX;
    private static Job x1;
    private static Job y1;
    private static Job x2;
    private static Job x3;
    private static Instant beforeX2;

    @BeforeAll
    static void arrange() {
        tenant = db.app().run(c -> Tenants.create(c, "audit")).id();
        otherTenant = db.app().run(c -> Tenants.create(c, "audit-other")).id();
        sharedCt = anObject("scans/shared/ct.nii.gz", 1234);
        s1 = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).setCt(sharedCt).build())).id();
        s2 = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        otherScan = db.app().inTenant(otherTenant, c -> Scans.insert(c, aScan(otherTenant).setCt(sharedCt).build())).id();
        setX = db.worker().run(c -> ModelSets.create(c, "audit-x", "MAJORITY_2_OF_3", "t"));
        setY = db.worker().run(c -> ModelSets.create(c, "audit-y", "MAJORITY_2_OF_3", "t"));
        modelX = db.worker().run(c -> Models.insert(c, new Model(null, setX.id(), Plane.AXIAL, "unet", "{}", 1L,
                List.of(s1), List.of("e".repeat(64)), List.of(2.0, 2.0, 2.0), List.of(64, 64), "t", null, "{}", "w", "f".repeat(64),
                null)));
        // x1 and y1 on both scans; x2 re-runs set X on s1 and finishes later; x3 has not finished
        x1 = finished(setX, List.of(s1, s2), new long[][] {{80, 10, 10}, {50, 0, 50}});
        y1 = finished(setY, List.of(s1, s2), new long[][] {{60, 20, 20}, {90, 5, 5}});
        beforeX2 = Instant.now();
        x2 = finished(setX, List.of(s1), new long[][] {{70, 15, 15}});
        x3 = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, List.of(s2)).optModelSetId(setX.id()).build()).job());
    }

    /**
     * A SUCCEEDED job with FUSED metrics per scan: label 1 with the given tp, fp, fn, label 2 absent
     * from both (no IoU), and AXIAL label 1 with tp − 10 and fn + 10.
     */
    private static Job finished(ModelSet set, List<UUID> scans, long[][] label1) {
        Job job = db.app().inTenant(tenant, c -> Jobs.submit(c, aJob(tenant, scans).setKind(JobKind.EVALUATE)
                .optModelSetId(set.id()).build()).job());
        Job running = db.ownerTx().run(c -> Jobs.transition(c, job, JobState.RUNNING, "w", null));
        List<ClassMetric> rows = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            long[] c1 = label1[i];
            rows.add(row(job, scans.get(i), set, MetricPlane.FUSED, 1, c1[0], c1[1], c1[2]));
            rows.add(row(job, scans.get(i), set, MetricPlane.FUSED, 2, 0, 0, 0));
            rows.add(row(job, scans.get(i), set, MetricPlane.AXIAL, 1, c1[0] - 10, c1[1], c1[2] + 10));
        }
        db.worker().run(c -> {
            Results.upsertClassMetrics(c, rows);
            return null;
        });
        return db.ownerTx().run(c -> Jobs.transition(c, running, JobState.SUCCEEDED, "w", null));
    }

    private static ClassMetric row(Job job, UUID scan, ModelSet set, MetricPlane plane, int label, long tp, long fp, long fn) {
        return ClassMetric.fromCounts(new ClassMetric.Key(tenant, job.id(), scan, set.id(), plane, label), tp, fp, fn,
                N - tp - fp - fn, VOXEL_ML);
    }

    private static List<UUID> jobs(JobFilter f) {
        return db.app().inTenant(tenant, c -> AuditQueries.listJobs(c, f, 100)).stream().map(Job::id).toList();
    }

    @Test
    void jobListsFilterByModelSetModelStateKindAndCreationTime() {
        assertThat(jobs(new JobFilter(null, null, setX.id(), null, null, null))).containsExactly(x3.id(), x2.id(), x1.id());
        assertThat(jobs(new JobFilter(null, null, null, modelX.id(), null, null))).containsExactly(x3.id(), x2.id(), x1.id());
        assertThat(jobs(new JobFilter(JobState.SUCCEEDED, null, setX.id(), null, null, null))).containsExactly(x2.id(), x1.id());
        assertThat(jobs(new JobFilter(null, JobKind.EVALUATE, null, null, null, null))).containsExactly(x2.id(), y1.id(), x1.id());
        assertThat(jobs(new JobFilter(null, JobKind.TRAIN, null, null, null, null))).isEmpty();
        assertThat(jobs(new JobFilter(null, null, null, null, beforeX2, null))).containsExactly(x3.id(), x2.id());
        assertThat(jobs(new JobFilter(null, null, null, null, null, beforeX2))).containsExactly(y1.id(), x1.id());
        assertThat(jobs(new JobFilter(null, null, null, UUID.randomUUID(), null, null))).isEmpty();
        assertThat(db.app().<List<Job>>inTenant(otherTenant, c -> AuditQueries.listJobs(c, JobFilter.all(), 100))).isEmpty();
    }

    @Test
    void scansByCtChecksumStayWithinTheTenant() {
        assertThat(db.app().<List<Scan>>inTenant(tenant, c -> AuditQueries.scansByCtSha256(c, sharedCt.sha256())))
                .extracting(Scan::id).containsExactly(s1);
        assertThat(db.app().<List<Scan>>inTenant(otherTenant, c -> AuditQueries.scansByCtSha256(c, sharedCt.sha256())))
                .extracting(Scan::id).containsExactly(otherScan);
    }

    @Test
    void aJobsMetricsFilterAndSummarise() {
        List<ClassMetric> all = db.app().inTenant(tenant, c -> AuditQueries.classMetrics(c, x1.id(), null, null, null));
        assertThat(all).hasSize(6);
        // per scan: the planes in order axial, coronal, sagittal, fused
        assertThat(all.subList(0, 3)).extracting(ClassMetric::plane)
                .containsExactly(MetricPlane.AXIAL, MetricPlane.FUSED, MetricPlane.FUSED);
        List<ClassMetric> fused1 = db.app().inTenant(tenant, c -> AuditQueries.classMetrics(c, x1.id(), MetricPlane.FUSED, 1, s2));
        assertThat(fused1).singleElement().satisfies(m -> {
            assertThat(m.tp()).isEqualTo(50);
            assertThat(m.iou()).isEqualTo(0.5);
        });
        assertThat(db.app().<List<ClassMetric>>inTenant(otherTenant,
                c -> AuditQueries.classMetrics(c, x1.id(), null, null, null))).isEmpty();

        List<MetricSummary> summaries = db.app().inTenant(tenant, c -> AuditQueries.metricSummaries(c, x1.id()));
        MetricSummary s1Fused = summaries.stream().filter(s -> s.scanId().equals(s1) && s.plane() == MetricPlane.FUSED)
                .findFirst().orElseThrow();
        // label 2 has no IoU, so only label 1 counts: 80 / 100
        assertThat(s1Fused.regions()).isEqualTo(1);
        assertThat(s1Fused.meanIoU()).isCloseTo(0.8, within(1e-12));
        assertThat(s1Fused.meanDice()).isCloseTo(160.0 / 180, within(1e-12));
    }

    @Test
    void jobsCompareByPairedMeansOverTheirCommonScans() {
        List<UUID> common = db.app().inTenant(tenant, c -> AuditQueries.commonScans(c, x1.id(), x2.id()));
        assertThat(common).containsExactly(s1);
        List<MetricComparison> c = db.app().inTenant(tenant, x -> AuditQueries.compareJobs(x, x1.id(), y1.id()));
        assertThat(c).extracting(MetricComparison::plane, MetricComparison::classLabel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MetricPlane.AXIAL, 1),
                        org.assertj.core.groups.Tuple.tuple(MetricPlane.FUSED, 1),
                        org.assertj.core.groups.Tuple.tuple(MetricPlane.FUSED, 2));
        MetricComparison fused = c.get(1);
        double a = (0.8 + 0.5) / 2;
        double b = (0.6 + 0.9) / 2;
        assertThat(fused.scans()).isEqualTo(2);
        assertThat(fused.iou().a()).isCloseTo(a, within(1e-12));
        assertThat(fused.iou().b()).isCloseTo(b, within(1e-12));
        assertThat(fused.iou().delta()).isCloseTo(b - a, within(1e-12));
        // x1's scan 2 has FN 50 and FP 0, y1's FP 5 and FN 5: ratios 0 and 1; scan 1: 1 and 1
        assertThat(fused.fpFnRatio().a()).isCloseTo(0.5, within(1e-12));
        assertThat(fused.fpFnRatio().b()).isCloseTo(1.0, within(1e-12));
        MetricComparison absent = c.get(2);
        assertThat(absent.iou().a()).isNull();
        assertThat(absent.iou().delta()).isNull();
        assertThat(absent.iou().pairs()).isZero();
        assertThat(absent.misclassification().pairs()).isEqualTo(2);
    }

    @Test
    void modelSetsCompareOnTheLatestFinishedJobOfEachSetPerScan() {
        ModelSetComparison c = db.app().inTenant(tenant, x -> AuditQueries.compareModelSets(x, setX.id(), setY.id()));
        assertThat(c.scans()).containsExactlyInAnyOrder(new ComparedScan(s1, x2.id(), y1.id()),
                new ComparedScan(s2, x1.id(), y1.id()));
        MetricComparison fused = c.metrics().stream().filter(m -> m.plane() == MetricPlane.FUSED && m.classLabel() == 1)
                .findFirst().orElseThrow();
        // set X: x2 on scan 1 (0.7), x1 on scan 2 (0.5); set Y: 0.6 and 0.9
        assertThat(fused.iou().a()).isCloseTo((0.7 + 0.5) / 2, within(1e-12));
        assertThat(fused.iou().b()).isCloseTo((0.6 + 0.9) / 2, within(1e-12));
        assertThat(db.app().<ModelSetComparison>inTenant(otherTenant,
                x -> AuditQueries.compareModelSets(x, setX.id(), setY.id())).scans()).isEmpty();
    }
}
