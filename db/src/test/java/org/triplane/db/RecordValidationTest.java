package org.triplane.db;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanTransform;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tenants.ApiKey;
import org.triplane.db.tenants.ApiKeys;
import org.triplane.db.tenants.IssuedApiKey;
import org.triplane.db.testing.TestData;

/** Builders and records refuse bad values with the field's name, before any SQL runs. */
class RecordValidationTest {

    private static final UUID TENANT = UUID.randomUUID();

    @Test
    void aJobRequestNamesTheMissingField() {
        assertThatThrownBy(() -> JobRequest.builder().setTenantId(TENANT).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("kind:");
        assertThatThrownBy(() -> TestData.aJob(TENANT, List.of()).build())
                .hasMessageStartingWith("scanIds:");
        UUID scan = UUID.randomUUID();
        assertThatThrownBy(() -> TestData.aJob(TENANT, List.of(scan, scan)).build())
                .hasMessageStartingWith("scanIds:");
        assertThatThrownBy(() -> TestData.aJob(TENANT, List.of(scan)).setIdempotencyKey("x".repeat(201)).build())
                .hasMessageStartingWith("idempotencyKey:");
    }

    @Test
    void aTrainingJobNeedsNoScans() {
        assertThat(TestData.aJob(TENANT, List.of()).setKind(JobKind.TRAIN).build().scanIds()).isEmpty();
    }

    @Test
    void aScanNeedsItsTransformFileAndValuesTogether() {
        assertThatThrownBy(() -> TestData.aScan(TENANT).optTransform(null, null).optTransform(
                TestData.anObject("t.txt", 10), null).build())
                .hasMessageStartingWith("transform:");
        assertThat(TestData.aScan(TENANT).optTransform(null, null).build().transform()).isNull();
    }

    @Test
    void geometryAndObjectsAreChecked() {
        assertThatThrownBy(() -> new ScanGeometry(List.of(512, 512), List.of(1.0, 1.0, 1.0), List.of(0.0, 0.0, 0.0),
                List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))).hasMessageStartingWith("dims:");
        assertThatThrownBy(() -> new ScanGeometry(List.of(1, 1, 1), List.of(1.0, 0.0, 1.0), List.of(0.0, 0.0, 0.0),
                List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))).hasMessageStartingWith("spacingMm:");
        assertThatThrownBy(() -> new StoredObject("k", "ABC", 1)).hasMessageStartingWith("sha256:");
        assertThatThrownBy(() -> new StoredObject("k", "a".repeat(64), 0)).hasMessageStartingWith("sizeBytes:");
        assertThatThrownBy(() -> new HuWindow(130, -124)).hasMessageStartingWith("window:");
        assertThatThrownBy(() -> new ScanTransform(List.of(Double.NaN, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0),
                List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 0.0))).hasMessageStartingWith("transform:");
    }

    @Test
    void tasksHaveAPlaneExactlyWhenTheirKindNeedsOne() {
        UUID job = UUID.randomUUID();
        UUID scan = UUID.randomUUID();
        assertThatThrownBy(() -> new NewTask(TENANT, job, scan, TaskKind.PLANE, null, 3)).hasMessageStartingWith("plane:");
        assertThatThrownBy(() -> new NewTask(TENANT, job, scan, TaskKind.FUSION, Plane.AXIAL, 3)).hasMessageStartingWith("plane:");
        assertThatThrownBy(() -> new NewTask(TENANT, job, null, TaskKind.PREPROCESS, null, 3)).hasMessageStartingWith("scanId:");
        assertThatThrownBy(() -> new NewTask(TENANT, job, scan, TaskKind.PREPROCESS, null, 0)).hasMessageStartingWith("maxAttempts:");
        assertThat(new NewTask(TENANT, job, null, TaskKind.TRAIN, Plane.SAGITTAL, 1).scanId()).isNull();
    }

    @Test
    void metricsDeriveFromTheConfusionCounts() {
        ClassMetric.Key key = new ClassMetric.Key(TENANT, UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                MetricPlane.FUSED, 5);

        ClassMetric m = ClassMetric.fromCounts(key, 60, 20, 20, 900, 0.25);

        assertThat(m.iou()).isEqualTo(0.6);
        assertThat(m.dice()).isEqualTo(0.75);
        assertThat(m.misclassification()).isEqualTo(0.04);
        assertThat(m.fpFnRatio()).isEqualTo(1.0);
        assertThat(m.gtMl()).isEqualTo(20.0);
        assertThat(m.predMl()).isEqualTo(20.0);
        ClassMetric absent = ClassMetric.fromCounts(key, 0, 0, 0, 1000, 0.25);
        assertThat(absent.iou()).isNull();
        assertThat(absent.dice()).isNull();
        assertThat(absent.fpFnRatio()).isNull();
        assertThat(absent.misclassification()).isEqualTo(0.0);
        ClassMetric overSegmented = ClassMetric.fromCounts(key, 10, 5, 0, 985, 0.25);
        assertThat(overSegmented.fpFnRatio()).as("FN = 0: no ratio, never infinite").isNull();
        assertThat(overSegmented.iou()).isCloseTo(10.0 / 15, within(1e-15));
        assertThat(ClassMetric.fromCounts(key, 10, 0, 5, 985, 0.25).fpFnRatio()).isEqualTo(0.0);
        ClassMetric nothing = ClassMetric.fromCounts(key, 0, 0, 0, 0, 0.25);
        assertThat(nothing.misclassification()).isNull();
        assertThat(nothing.gtMl()).isEqualTo(0.0);
        assertThatThrownBy(() -> ClassMetric.fromCounts(new ClassMetric.Key(TENANT, null, null, null, MetricPlane.AXIAL, 21),
                0, 0, 0, 0, 1)).hasMessageStartingWith("classLabel:");
    }

    @Test
    void anIssuedKeyNeverPrintsItsSecret() {
        String secret = ApiKeys.generate();
        IssuedApiKey issued = new IssuedApiKey(new ApiKey(UUID.randomUUID(), TENANT, "abc", null, null, null), secret);

        assertThat(issued.toString()).doesNotContain(secret).contains("redacted");
    }
}
