package org.triplane.db.models;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-plane summary of a k-fold job's folds. */
class CrossValidationTest {
    private static final UUID JOB = UUID.randomUUID();

    private static ModelSet fold(int fold, int k) {
        return new ModelSet(UUID.randomUUID(), "cv-fold" + fold + "of" + k, "MAJORITY_2_OF_3", "v", Instant.EPOCH, JOB, fold,
                k, false, null);
    }

    @Test
    void meanAndSampleStandardDeviationOverTheFoldsOfEachPlane() {
        ModelSet f1 = fold(1, 3);
        ModelSet f2 = fold(2, 3);
        ModelSet f3 = fold(3, 3);
        List<FoldModel> models = List.of(
                new FoldModel(1, f1.id(), Plane.AXIAL, UUID.randomUUID(), 0.5),
                new FoldModel(2, f2.id(), Plane.AXIAL, UUID.randomUUID(), 0.6),
                new FoldModel(3, f3.id(), Plane.AXIAL, UUID.randomUUID(), 0.7),
                new FoldModel(2, f2.id(), Plane.CORONAL, UUID.randomUUID(), 0.4));

        // why the order: the summary is by fold whatever order the sets come in
        CrossValidation cv = CrossValidation.of(List.of(f3, f1, f2), models).orElseThrow();

        assertThat(cv.foldCount()).isEqualTo(3);
        assertThat(cv.planes()).extracting(CrossValidation.PlaneFolds::plane).containsExactly(Plane.values());
        CrossValidation.PlaneFolds axial = cv.planes().get(0);
        assertThat(axial.folds()).extracting(CrossValidation.Fold::fold).containsExactly(1, 2, 3);
        assertThat(axial.folds()).extracting(CrossValidation.Fold::modelSetId).containsExactly(f1.id(), f2.id(), f3.id());
        // 0.5, 0.6, 0.7: mean 0.6, squared deviations 0.01 + 0 + 0.01 over n - 1 = 2 -> variance 0.01, sd 0.1
        assertThat(axial.mean()).isCloseTo(0.6, within(1e-12));
        assertThat(axial.sd()).isCloseTo(0.1, within(1e-12));
        CrossValidation.PlaneFolds coronal = cv.planes().get(1);
        assertThat(coronal.mean()).isCloseTo(0.4, within(1e-12));
        assertThat(coronal.sd()).as("one fold has no spread").isNull();
        assertThat(coronal.folds().get(0).modelId()).as("fold 1 still training").isNull();
        CrossValidation.PlaneFolds sagittal = cv.planes().get(2);
        assertThat(sagittal.mean()).isNull();
        assertThat(sagittal.folds()).hasSize(3);
    }

    @Test
    void aJobWithoutFoldSetsHasNoCrossValidation() {
        ModelSet plain = new ModelSet(UUID.randomUUID(), "plain", "MAJORITY_2_OF_3", "v", Instant.EPOCH, JOB, null, null, false, null);
        assertThat(CrossValidation.of(List.of(plain), List.of())).isEmpty();
        assertThat(CrossValidation.of(List.of(), List.of())).isEmpty();
    }
}
