package org.triplane.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.triplane.imaging.plane.Plane;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.model.NetworkInputs;
import org.triplane.worker.run.PoisonInputException;

/** The folds, loss, inputs and grid parameters of a TRAIN job as the gpu-worker reads them. */
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

    @Test
    void inputsDefaultToTheMidlineAndPositionChannelKeepsItsOldMeaning() {
        TrainingParameters defaults = TrainingParameters.parse("j", "{}");
        assertThat(defaults.inputs()).isEqualTo(NetworkInputs.WINDOW_AND_MIDLINE);
        assertThat(defaults.network().inputChannels()).isEqualTo(2);
        assertThat(defaults.grid()).isEqualTo(ModelGrid.COARSE);
        assertThat(defaults.describe(Plane.AXIAL)).containsEntry("inputs", "midline").containsEntry("positionChannel", true);
        assertThat(TrainingParameters.parse("j", "{\"positionChannel\": false}").inputs()).isEqualTo(NetworkInputs.WINDOW);
        assertThat(TrainingParameters.parse("j", "{\"positionChannel\": true}").inputs())
                .isEqualTo(NetworkInputs.WINDOW_AND_MIDLINE);
        TrainingParameters window = TrainingParameters.parse("j", "{\"inputs\": \"window\", \"positionChannel\": false}");
        assertThat(window.network().inputChannels()).isEqualTo(1);
        assertThat(window.describe(Plane.CORONAL)).containsEntry("inputs", "window").containsEntry("positionChannel", false);
        assertThat(TrainingParameters.parse("j", "{\"inputs\": \"midline\", \"gridSpacingMm\": 4}").grid())
                .isEqualTo(ModelGrid.of(4, 256, 256, 160));
    }

    @Test
    @SuppressWarnings("unchecked")
    void atlasInputsTakeTwentySixChannelsOnTheAtlasGridAtOneAndAHalfMillimetresUnlessTold() {
        TrainingParameters atlas = TrainingParameters.parse("j", "{\"inputs\": \"atlas\", \"preset\": \"tiny\"}");
        assertThat(atlas.atlasInputs()).isTrue();
        assertThat(atlas.network().inputChannels()).isEqualTo(26);
        assertThat(atlas.network().inputs()).isEqualTo(NetworkInputs.WINDOW_AND_ATLAS);
        assertThat(atlas.grid().atlasPlaced()).isTrue();
        // the atlas inputs follow each scan's deformable registration unless told otherwise
        assertThat(atlas.grid()).isEqualTo(ModelGrid.aspectsInAtlas(1.5).withDeformableAtlas());
        Map<String, Object> hyper = atlas.describe(Plane.SAGITTAL);
        assertThat(hyper).containsEntry("inputs", "atlas").containsEntry("positionChannel", false);
        assertThat(ModelGrid.fromMap((Map<String, ?>) hyper.get("grid")))
                .isEqualTo(ModelGrid.aspectsInAtlas(1.5).withDeformableAtlas());
        TrainingParameters coarse = TrainingParameters.parse("j",
                "{\"inputs\": \"atlas\", \"gridSpacingMm\": 4, \"atlasRegistration\": \"affine\"}");
        assertThat(coarse.grid()).isEqualTo(ModelGrid.aspectsInAtlas(4));
        assertThat(TrainingParameters.parse("j", "{\"inputs\": \"atlas\", \"positionChannel\": false}").atlasInputs()).isTrue();
        assertThat(TrainingParameters.parse("j", "{}").atlasInputs()).isFalse();
    }

    @Test
    void unknownOrContradictoryInputsArePoisonNamingTheJobAndTheParameter() {
        Map<String, String> bad = Map.of(
                "{\"inputs\": \"atlases\"}", "inputs must be \"window\", \"midline\" or \"atlas\", got \"atlases\"",
                "{\"inputs\": 2}", "inputs must be",
                "{\"inputs\": \"atlas\", \"atlasRegistration\": \"elastic\"}",
                "atlasRegistration must be \"deformable\" or \"affine\", got \"elastic\"",
                "{\"atlasRegistration\": \"affine\"}", "atlasRegistration applies only with inputs \"atlas\"",
                "{\"inputs\": \"window\", \"positionChannel\": true}", "positionChannel true contradicts inputs \"window\"",
                "{\"inputs\": \"midline\", \"positionChannel\": false}", "positionChannel false contradicts inputs \"midline\"",
                "{\"inputs\": \"atlas\", \"positionChannel\": true}", "positionChannel true contradicts inputs \"atlas\"",
                "{\"positionChannel\": \"maybe\"}", "positionChannel must be true or false",
                "{\"inputs\": \"atlas\", \"fieldOfViewMm\": [256, 256, 160]}", "fieldOfViewMm does not apply with inputs \"atlas\"");
        bad.forEach((json, says) -> assertThatThrownBy(() -> TrainingParameters.parse("job-9", json)).as(json)
                .isInstanceOf(PoisonInputException.class)
                .hasMessageStartingWith("TRAIN job job-9: bad parameters: ")
                .hasMessageContaining(says));
    }
}
