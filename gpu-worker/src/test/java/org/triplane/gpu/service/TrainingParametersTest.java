package org.triplane.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.triplane.imaging.plane.Plane;
import org.triplane.worker.run.PoisonInputException;

/** The folds and loss parameters of a TRAIN job as the gpu-worker reads them. */
class TrainingParametersTest {

    @Test
    void withoutFoldsTheJobHasOneSplitAndRecordsItsValidationScans() {
        TrainingParameters p = TrainingParameters.parse("j", "{\"validationScans\": 2}");
        assertThat(p.folds()).isNull();
        assertThat(p.validationScans()).isEqualTo(2);
        assertThat(p.describe(Plane.AXIAL)).containsEntry("validationScans", 2).doesNotContainKey("folds");
    }

    @Test
    void foldsAreReadAndRecordedInsteadOfValidationScans() {
        TrainingParameters p = TrainingParameters.parse("j", "{\"folds\": 3, \"preset\": \"tiny\"}");
        assertThat(p.folds()).isEqualTo(3);
        assertThat(p.describe(Plane.CORONAL)).containsEntry("folds", 3).doesNotContainKey("validationScans");
        assertThat(TrainingParameters.parse("j", "{\"folds\": 2.0}").folds()).isEqualTo(2);
        assertThat(TrainingParameters.parse("j", "{\"folds\": null}").folds()).isNull();
    }

    @Test
    void unusableFoldsArePoisonNamingTheJobAndTheParameter() {
        for (String bad : new String[] {"{\"folds\": 1}", "{\"folds\": 2.5}", "{\"folds\": \"2\"}", "{\"folds\": true}",
                "{\"folds\": 2, \"validationScans\": 1}"}) {
            assertThatThrownBy(() -> TrainingParameters.parse("job-7", bad)).as(bad)
                    .isInstanceOf(PoisonInputException.class)
                    .hasMessageContaining("TRAIN job job-7")
                    .hasMessageContaining("folds");
        }
        assertThatThrownBy(() -> TrainingParameters.parse("j", "{\"folds\": 2, \"validationScans\": 1}"))
                .hasMessageContaining("cannot be combined with validationScans");
    }

    @Test
    void theLossAddsCrossEntropyUnlessTheJobSetsItsWeightToZero() {
        TrainingParameters defaults = TrainingParameters.parse("j", "{}");
        assertThat(defaults.settings(Plane.SAGITTAL).crossEntropyWeight()).isEqualTo(1.0);
        assertThat(defaults.describe(Plane.SAGITTAL)).containsEntry("loss", "tversky+cross-entropy");
        TrainingParameters tverskyOnly = TrainingParameters.parse("j", "{\"crossEntropyWeight\": 0}");
        assertThat(tverskyOnly.settings(Plane.AXIAL).crossEntropyWeight()).isEqualTo(0.0);
        assertThat(tverskyOnly.describe(Plane.AXIAL)).containsEntry("loss", "tversky");
        assertThatThrownBy(() -> TrainingParameters.parse("job-8", "{\"crossEntropyWeight\": -1}"))
                .isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("TRAIN job job-8")
                .hasMessageContaining("crossEntropyWeight");
    }
}
