package org.triplane.gateway.service.parameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.db.jobs.JobKind;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.imaging.fusion.FusionMethod;

/** The parameters each kind of job accepts, and what the refusal of the others says. */
class JobParameterSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every key of a train job, each with a value it accepts. */
    static final String FULL_TRAINING = """
            {"preset": "tiny", "epochs": 3, "batchSize": 4, "learningRate": 0.0005, "seed": 7, "validationScans": 2,
             "inputs": "midline", "positionChannel": true, "gridSpacingMm": 2.5, "fieldOfViewMm": [256, 256, 160.5],
             "alpha": {"axial": 0.7, "sagittal": 0.8}, "beta": 0.3, "crossEntropyWeight": 0, "modelSetName": "aspects-1"}""";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void accepted(JobKind kind, String parameters) {
        assertThatCode(() -> JobParameterSchema.check(kind, json(parameters))).as("%s %s", kind, parameters)
                .doesNotThrowAnyException();
    }

    private static RequestRejected refused(JobKind kind, String parameters) {
        RequestRejected r = catchThrowableOfType(() -> JobParameterSchema.check(kind, json(parameters)),
                RequestRejected.class);
        assertThat(r).as("%s %s", kind, parameters).isNotNull();
        assertThat(r.status()).isEqualTo(400);
        return r;
    }

    private static void refused(JobKind kind, String parameters, String key, String... says) {
        RequestRejected r = refused(kind, parameters);
        assertThat(r.part()).as(parameters).isEqualTo("parameters." + key);
        assertThat(r.getMessage()).as(parameters).contains(key).contains(says);
    }

    @Test
    void everyKeyOfATrainJobWithAValueItTakesIsAccepted() {
        accepted(JobKind.TRAIN, FULL_TRAINING);
        accepted(JobKind.TRAIN, "{}");
        accepted(JobKind.TRAIN, """
                {"preset": "study", "inputs": "atlas", "atlasRegistration": "affine", "gridSpacingMm": 1.5, "folds": 5,
                 "alpha": 0.85, "beta": {"coronal": 0.15}, "modelSetName": null}""");
        accepted(JobKind.TRAIN, "{\"inputs\": \"window\", \"positionChannel\": false, \"epochs\": 2.0, \"folds\": null}");
        assertThat(JobParameterSchema.of(JobKind.TRAIN).keys()).containsExactly("preset", "epochs", "batchSize",
                "learningRate", "seed", "validationScans", "folds", "inputs", "atlasRegistration", "positionChannel",
                "gridSpacingMm", "fieldOfViewMm", "alpha", "beta", "crossEntropyWeight", "modelSetName");
    }

    @Test
    void everyKeyOfASegmentOrEvaluateJobWithAValueItTakesIsAccepted() {
        for (JobKind kind : List.of(JobKind.SEGMENT, JobKind.EVALUATE)) {
            accepted(kind, "{\"fusion\": \"confidence\", \"fusionAtlasVoter\": true, "
                    + "\"modelSetId\": \"4c1c2f8e-0a52-4b8e-9d3f-6f0e1b6c2a11\"}");
            accepted(kind, "{\"fusion\": null, \"fusionAtlasVoter\": null, \"modelSetId\": null}");
            accepted(kind, "{}");
            assertThat(JobParameterSchema.of(kind).keys()).containsExactly("fusion", "fusionAtlasVoter", "modelSetId");
        }
    }

    @Test
    void theVoteTakesEveryNameTheFusionWorkersParserTakes() {
        for (FusionMethod m : FusionMethod.values()) {
            accepted(JobKind.SEGMENT, "{\"fusion\": \"" + m.wireName() + "\"}");
        }
        // what FusionMethod.parse takes, the fusion-worker's reader
        accepted(JobKind.EVALUATE, "{\"fusion\": \" Learned \"}");
        refused(JobKind.SEGMENT, "{\"fusion\": \"median\"}", "fusion", "must be one of majority, confidence, learned",
                "got \"median\"");
        refused(JobKind.SEGMENT, "{\"fusion\": 2}", "fusion", "got 2");
    }

    @Test
    void aMisspeltKeyIsRefusedNamingItTheKeyMeantAndEveryKeyTheKindTakes() {
        refused(JobKind.TRAIN, "{\"epochs\": 3, \"epoch\": 3}", "epoch", "unknown parameter epoch for a train job",
                "did you mean epochs?", "a train job accepts preset, epochs, batchSize");
        refused(JobKind.SEGMENT, "{\"fusionAtlasVote\": true}", "fusionAtlasVote", "did you mean fusionAtlasVoter?",
                "a segment job accepts fusion, fusionAtlasVoter, modelSetId");
        RequestRejected far = refused(JobKind.EVALUATE, "{\"note\": \"x\"}");
        assertThat(far.part()).isEqualTo("parameters.note");
        assertThat(far.getMessage()).startsWith("unknown parameter note for an evaluate job").doesNotContain("did you mean");
    }

    @Test
    void aKeyOfAnotherKindIsRefusedSayingWhichKindsTakeIt() {
        refused(JobKind.TRAIN, "{\"fusion\": \"majority\"}", "fusion",
                "fusion is a parameter of segment and evaluate jobs, not of a train job", "a train job accepts preset");
        refused(JobKind.TRAIN, "{\"modelSetId\": \"4c1c2f8e-0a52-4b8e-9d3f-6f0e1b6c2a11\"}", "modelSetId",
                "not of a train job", "modelSetName");
        refused(JobKind.SEGMENT, "{\"epochs\": 3}", "epochs", "epochs is a parameter of train jobs, not of a segment job");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedSayingWhatIsExpected() {
        refused(JobKind.TRAIN, "{\"epochs\": \"3\"}", "epochs", "must be an integer ≥ 1, got \"3\"");
        refused(JobKind.TRAIN, "{\"epochs\": 2.5}", "epochs", "must be an integer ≥ 1, got 2.5");
        refused(JobKind.TRAIN, "{\"learningRate\": \"fast\"}", "learningRate", "must be a number > 0");
        refused(JobKind.TRAIN, "{\"positionChannel\": \"true\"}", "positionChannel", "must be true or false");
        refused(JobKind.TRAIN, "{\"fieldOfViewMm\": [256, 256]}", "fieldOfViewMm", "three numbers > 0");
        refused(JobKind.TRAIN, "{\"fieldOfViewMm\": [\"256\", 256, 160]}", "fieldOfViewMm", "three numbers > 0");
        refused(JobKind.TRAIN, "{\"alpha\": [0.7]}", "alpha", "must be a number ≥ 0", "or an object by plane");
        refused(JobKind.TRAIN, "{\"modelSetName\": 7}", "modelSetName", "must be a non-blank text");
        refused(JobKind.TRAIN, "{\"modelSetName\": \"  \"}", "modelSetName", "must be a non-blank text");
        refused(JobKind.SEGMENT, "{\"fusionAtlasVoter\": \"yes\"}", "fusionAtlasVoter", "must be true or false");
        refused(JobKind.SEGMENT, "{\"modelSetId\": \"set-1\"}", "modelSetId", "must be an id (UUID), got \"set-1\"");
        refused(JobKind.SEGMENT, "{\"modelSetId\": \"1-2-3-4-5\"}", "modelSetId", "must be an id (UUID)");
    }

    @Test
    void nullIsTheDefaultOnlyWhereEveryReaderTakesItSo() {
        refused(JobKind.TRAIN, "{\"epochs\": null}", "epochs", "must be an integer ≥ 1, got null");
        refused(JobKind.TRAIN, "{\"preset\": null}", "preset", "got null");
        accepted(JobKind.TRAIN, "{\"folds\": null, \"modelSetName\": null}");
    }

    @Test
    void aValueOutOfRangeIsRefusedSayingTheRange() {
        refused(JobKind.TRAIN, "{\"epochs\": 0}", "epochs", "must be at least 1, got 0");
        refused(JobKind.TRAIN, "{\"batchSize\": -4}", "batchSize", "must be at least 1, got -4");
        refused(JobKind.TRAIN, "{\"epochs\": 3000000000}", "epochs", "must be at most 2147483647");
        refused(JobKind.TRAIN, "{\"folds\": 1}", "folds", "must be at least 2, got 1");
        refused(JobKind.TRAIN, "{\"validationScans\": 0}", "validationScans", "must be at least 1");
        accepted(JobKind.TRAIN, "{\"seed\": -1}");
        refused(JobKind.TRAIN, "{\"seed\": 9007199254740993}", "seed", "must be at most 9007199254740992");
        refused(JobKind.TRAIN, "{\"seed\": -9007199254740993}", "seed", "must be at least -9007199254740992");
        refused(JobKind.TRAIN, "{\"learningRate\": 0}", "learningRate", "must be a number > 0, got 0");
        refused(JobKind.TRAIN, "{\"learningRate\": 1e999}", "learningRate", "must be a number > 0");
        refused(JobKind.TRAIN, "{\"gridSpacingMm\": -2}", "gridSpacingMm", "must be a number > 0");
        refused(JobKind.TRAIN, "{\"fieldOfViewMm\": [256, 0, 160]}", "fieldOfViewMm", "three numbers > 0");
        refused(JobKind.TRAIN, "{\"crossEntropyWeight\": -1}", "crossEntropyWeight", "must be a number ≥ 0, got -1");
        refused(JobKind.TRAIN, "{\"beta\": {\"coronal\": -0.1}}", "beta", "for the coronal plane must be a number ≥ 0");
        refused(JobKind.TRAIN, "{\"modelSetName\": \"" + "n".repeat(201) + "\"}", "modelSetName",
                "must be at most 200 characters, got 201");
    }

    @Test
    void aNameOutsideAnEnumerationIsRefusedListingTheNames() {
        refused(JobKind.TRAIN, "{\"preset\": \"large\"}", "preset", "must be one of small, tiny, study, got \"large\"");
        refused(JobKind.TRAIN, "{\"inputs\": \"both\"}", "inputs", "must be one of window, midline, atlas");
        refused(JobKind.TRAIN, "{\"inputs\": \"atlas\", \"atlasRegistration\": \"rigid\"}", "atlasRegistration",
                "must be one of deformable, affine");
        refused(JobKind.TRAIN, "{\"alpha\": {\"axal\": 0.7}}", "alpha", "has no plane 'axal'",
                "the planes are axial, coronal, sagittal");
    }

    @Test
    void keysThatCannotGoTogetherAreRefusedNamingTheOneToChange() {
        refused(JobKind.TRAIN, "{\"folds\": 2, \"validationScans\": 1}", "folds", "cannot be combined with validationScans");
        refused(JobKind.TRAIN, "{\"atlasRegistration\": \"affine\"}", "atlasRegistration", "applies only with inputs \"atlas\"");
        refused(JobKind.TRAIN, "{\"inputs\": \"midline\", \"atlasRegistration\": \"affine\"}", "atlasRegistration",
                "applies only with inputs");
        refused(JobKind.TRAIN, "{\"inputs\": \"atlas\", \"fieldOfViewMm\": [256, 256, 160]}", "fieldOfViewMm",
                "does not apply with inputs \"atlas\"");
        refused(JobKind.TRAIN, "{\"inputs\": \"window\", \"positionChannel\": true}", "positionChannel",
                "positionChannel true means inputs \"midline\" and contradicts inputs \"window\"");
        refused(JobKind.TRAIN, "{\"inputs\": \"atlas\", \"positionChannel\": false}", "positionChannel", "contradicts");
        refused(JobKind.TRAIN, "{\"alpha\": {\"sagittal\": 1.2}}", "alpha", "for the sagittal plane without beta");
        accepted(JobKind.TRAIN, "{\"alpha\": 1.2, \"beta\": 0.4}");
        refused(JobKind.TRAIN, "{\"alpha\": 0, \"beta\": {\"axial\": 0}}", "beta", "both 0 for the axial plane");
        accepted(JobKind.TRAIN, "{\"alpha\": 0, \"beta\": {\"axial\": 0.5}}");
        accepted(JobKind.TRAIN, "{\"alpha\": 0}");
    }

    @Test
    void theFirstKeyAtFaultInTheRequestsOrderIsTheOneNamed() {
        refused(JobKind.TRAIN, "{\"epochs\": 0, \"batchSize\": 0}", "epochs", "at least 1");
        refused(JobKind.TRAIN, "{\"epochs\": 0, \"typo\": 1}", "typo", "unknown parameter");
    }
}
