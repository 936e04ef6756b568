package org.triplane.fusion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobState;
import org.triplane.imaging.fusion.FusionMethod;
import org.triplane.worker.run.PoisonInputException;

class JobParametersTest {

    private static Job withParameters(String json) {
        return new Job(UUID.randomUUID(), UUID.randomUUID(), JobKind.EVALUATE, JobState.RUNNING, "it", "key", json, null, "it",
                Instant.now(), null, null, null, 0, false);
    }

    @Test
    void theStudysVoteIsTheDefault() {
        assertThat(JobParameters.fusionMethod(withParameters(null))).isEqualTo(FusionMethod.MAJORITY);
        assertThat(JobParameters.fusionMethod(withParameters("{}"))).isEqualTo(FusionMethod.MAJORITY);
        assertThat(JobParameters.fusionMethod(withParameters("{\"fusion\": null, \"other\": 1}"))).isEqualTo(FusionMethod.MAJORITY);
    }

    @Test
    void theJobChoosesTheRule() {
        assertThat(JobParameters.fusionMethod(withParameters("{\"fusion\": \"confidence\"}"))).isEqualTo(FusionMethod.CONFIDENCE);
        assertThat(JobParameters.fusionMethod(withParameters("{\"fusion\": \" Majority \"}"))).isEqualTo(FusionMethod.MAJORITY);
    }

    @Test
    void anUnknownRuleIsPoisonNamingTheParameterAndTheValue() {
        assertThatThrownBy(() -> JobParameters.fusionMethod(withParameters("{\"fusion\": \"median\"}")))
                .isInstanceOf(PoisonInputException.class).hasMessageContaining("\"fusion\"").hasMessageContaining("'median'")
                .hasMessageContaining("majority, confidence");
        assertThatThrownBy(() -> JobParameters.fusionMethod(withParameters("{\"fusion\": 2}")))
                .isInstanceOf(PoisonInputException.class).hasMessageContaining("\"fusion\" is 2");
    }

    @Test
    void theAtlasVotesOnlyWhenTheJobAsks() {
        assertThat(JobParameters.atlasVoter(withParameters(null))).isFalse();
        assertThat(JobParameters.atlasVoter(withParameters("{\"fusion\": \"confidence\"}"))).isFalse();
        assertThat(JobParameters.atlasVoter(withParameters("{\"fusionAtlasVoter\": true}"))).isTrue();
        assertThat(JobParameters.atlasVoter(withParameters("{\"fusionAtlasVoter\": \" TRUE \"}"))).isTrue();
        assertThat(JobParameters.atlasVoter(withParameters("{\"fusionAtlasVoter\": \"false\"}"))).isFalse();
        assertThatThrownBy(() -> JobParameters.atlasVoter(withParameters("{\"fusionAtlasVoter\": \"yes\"}")))
                .isInstanceOf(PoisonInputException.class).hasMessageContaining("\"fusionAtlasVoter\" is \"yes\"")
                .hasMessageContaining("true or false");
    }
}
