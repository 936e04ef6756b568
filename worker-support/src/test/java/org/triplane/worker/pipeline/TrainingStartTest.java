package org.triplane.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobState;

/** The names of the model sets a TRAIN job produces and its folds parameter. */
class TrainingStartTest {

    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-00000000002a");

    private static Job trainJob(String parametersJson) {
        return new Job(JOB, UUID.randomUUID(), JobKind.TRAIN, JobState.RUNNING, "it", "key", parametersJson, null, "v1",
                Instant.EPOCH, Instant.EPOCH, null, null, 3, false);
    }

    @Test
    void theModelSetNameParameterIsUsedWithoutSurroundingBlanks() {
        assertThat(TrainingStart.modelSetName(trainJob("{\"modelSetName\": \"  aspects-v2 \", \"epochs\": 3}")))
                .isEqualTo("aspects-v2");
    }

    @Test
    void withoutAUsableNameTheSetIsNamedAfterTheJob() {
        String expected = "train-00000000-0000-0000-0000-00000000002a";
        assertThat(TrainingStart.modelSetName(trainJob("{}"))).isEqualTo(expected);
        assertThat(TrainingStart.modelSetName(trainJob("{\"modelSetName\": \"   \"}"))).isEqualTo(expected);
        assertThat(TrainingStart.modelSetName(trainJob("{\"modelSetName\": 7}"))).isEqualTo(expected);
        assertThat(TrainingStart.modelSetName(trainJob("{\"modelSetName\": null}"))).isEqualTo(expected);
    }

    @Test
    void foldSetsAreNamedAfterTheSetWithFoldAndK() {
        assertThat(org.triplane.db.models.ModelSet.foldSetNames("aspects", 2)).containsExactly("aspects-fold1of2", "aspects-fold2of2");
    }

    @Test
    void foldsAreReadOnlyWhenUsable() {
        assertThat(TrainingFolds.of("{}", 3)).isEmpty();
        assertThat(TrainingFolds.of("{\"folds\": 3}", 3)).contains(3);
        for (String bad : new String[] {"{\"folds\": 1}", "{\"folds\": 4}", "{\"folds\": \"2\"}", "{\"folds\": 2.5}",
                "{\"folds\": 2, \"validationScans\": 1}"}) {
            assertThatThrownBy(() -> TrainingFolds.of(bad, 3)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("folds");
        }
    }
}
