package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.triplane.db.jobs.JobKind;

/**
 * The folds parameter of a train job as the gateway judges it at submission: its value by the
 * schema, then k against the job's scans.
 */
class FoldsParameterTest {

    private static Optional<Integer> folds(String parameters, int scans) {
        return JobPreconditions.folds(JobPreconditions.parameters(JobKind.TRAIN, parameters), scans);
    }

    private static RequestRejected refused(String parameters, int scans) {
        return catchThrowableOfType(() -> folds(parameters, scans), RequestRejected.class);
    }

    @Test
    void absentFoldsMeanOneModelSet() {
        assertThat(folds("{\"epochs\": 3}", 2)).isEmpty();
        assertThat(folds("{\"folds\": null}", 2)).isEmpty();
    }

    @Test
    void anIntegerFrom2ToTheNumberOfScansIsK() {
        assertThat(folds("{\"folds\": 2}", 2)).isEqualTo(Optional.of(2));
        assertThat(folds("{\"folds\": 5}", 7)).isEqualTo(Optional.of(5));
        assertThat(folds("{\"folds\": 3.0}", 3)).isEqualTo(Optional.of(3));
    }

    @Test
    void everyUnusableValueIsA400NamingTheParameter() {
        record Case(String parameters, int scans, String says) {
        }
        for (Case c : new Case[] {
                new Case("{\"folds\": \"2\"}", 4, "must be an integer"),
                new Case("{\"folds\": 2.5}", 4, "must be an integer"),
                new Case("{\"folds\": true}", 4, "must be an integer"),
                new Case("{\"folds\": [2]}", 4, "must be an integer"),
                new Case("{\"folds\": 1}", 4, "at least 2, got 1"),
                new Case("{\"folds\": -3}", 4, "at least 2, got -3"),
                new Case("{\"folds\": 5}", 4, "must not exceed the job's 4 scans"),
                new Case("{\"folds\": 2, \"validationScans\": 1}", 4, "cannot be combined with validationScans")}) {
            RequestRejected r = refused(c.parameters(), c.scans());
            assertThat(r).as(c.parameters()).isNotNull();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.part()).isEqualTo("parameters.folds");
            assertThat(r.getMessage()).as(c.parameters()).contains("folds").contains(c.says());
        }
    }

    @Test
    void foldSetsAreNamedAfterTheSetWithTheirFoldAndK() {
        assertThat(org.triplane.db.models.ModelSet.foldSetNames("aspects", 3))
                .containsExactly("aspects-fold1of3", "aspects-fold2of3", "aspects-fold3of3");
    }

    @Test
    void parametersThatAreNotAJsonObjectAreA400NamingThem() {
        for (String bad : new String[] {"[1, 2]", "3", "{\"folds\": "}) {
            RequestRejected r = catchThrowableOfType(() -> JobPreconditions.parameters(JobKind.TRAIN, bad),
                    RequestRejected.class);
            assertThat(r).as(bad).isNotNull();
            assertThat(r.part()).isEqualTo("parameters");
        }
    }
}
