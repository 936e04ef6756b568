package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The parameters of a train job, as the gpu-worker reads them (the preprocess-worker reads
 * {@value #FOLDS} and {@value #MODEL_SET_NAME} too): each key's value, and the combinations the
 * gpu-worker would fail the job for. Whether {@value #FOLDS} and {@value #VALIDATION_SCANS} fit
 * the job's number of scans is judged with its scans.
 */
public final class TrainingParameterSchema {

    public static final String PRESET = "preset";
    public static final String EPOCHS = "epochs";
    public static final String BATCH_SIZE = "batchSize";
    public static final String LEARNING_RATE = "learningRate";
    public static final String SEED = "seed";
    /** Scans held out for validation, without folds. */
    public static final String VALIDATION_SCANS = "validationScans";
    /** k of k-fold cross-validation by scan: k model sets, one per fold. */
    public static final String FOLDS = "folds";
    public static final String INPUTS = "inputs";
    public static final String ATLAS_REGISTRATION = "atlasRegistration";
    /** The older spelling of {@value #INPUTS}: true is midline, false window. */
    public static final String POSITION_CHANNEL = "positionChannel";
    public static final String GRID_SPACING_MM = "gridSpacingMm";
    public static final String FIELD_OF_VIEW_MM = "fieldOfViewMm";
    public static final String ALPHA = "alpha";
    public static final String BETA = "beta";
    public static final String CROSS_ENTROPY_WEIGHT = "crossEntropyWeight";
    /** The name of the model set the job produces. */
    public static final String MODEL_SET_NAME = "modelSetName";

    /** Most characters of a model set's name: names are listed in the registry every tenant reads. */
    public static final int MAX_MODEL_SET_NAME = 200;

    private static final String ATLAS = "atlas";

    /** Every key, in the documentation's order, and the combinations refused. */
    public static final KindSchema SCHEMA = new KindSchema(List.of(
            ParameterSpec.of(PRESET, WireName.of("small", "tiny", "study")),
            ParameterSpec.of(EPOCHS, WholeNumber.atLeast(1)),
            ParameterSpec.of(BATCH_SIZE, WholeNumber.atLeast(1)),
            ParameterSpec.of(LEARNING_RATE, RealNumber.positive()),
            // why within ±2^53: the gpu-worker reads the seed as a double, which keeps larger integers inexactly
            ParameterSpec.of(SEED, new WholeNumber(-WholeNumber.EXACT_IN_A_DOUBLE, WholeNumber.EXACT_IN_A_DOUBLE)),
            ParameterSpec.of(VALIDATION_SCANS, WholeNumber.atLeast(1)),
            ParameterSpec.orNull(FOLDS, WholeNumber.atLeast(2)),
            ParameterSpec.of(INPUTS, WireName.of("window", "midline", ATLAS)),
            ParameterSpec.of(ATLAS_REGISTRATION, WireName.of("deformable", "affine")),
            ParameterSpec.of(POSITION_CHANNEL, new Flag()),
            ParameterSpec.of(GRID_SPACING_MM, RealNumber.positive()),
            ParameterSpec.of(FIELD_OF_VIEW_MM, new PositiveTriple()),
            ParameterSpec.of(ALPHA, new PerPlane(RealNumber.nonNegative())),
            ParameterSpec.of(BETA, new PerPlane(RealNumber.nonNegative())),
            ParameterSpec.of(CROSS_ENTROPY_WEIGHT, RealNumber.nonNegative()),
            ParameterSpec.orNull(MODEL_SET_NAME, new NameText(MAX_MODEL_SET_NAME))),
            List.of(TrainingParameterSchema::foldsWithoutValidationScans, TrainingParameterSchema::atlasRegistrationWithAtlas,
                    TrainingParameterSchema::fieldOfViewWithoutAtlas, TrainingParameterSchema::positionChannelAgrees,
                    TrainingParameterSchema::alphaAloneAtMostOne, TrainingParameterSchema::tverskyWeightsNotBothZero));

    private TrainingParameterSchema() {
    }

    private static Optional<ParameterProblem> foldsWithoutValidationScans(JsonNode p) {
        if (given(p, FOLDS) && p.has(VALIDATION_SCANS)) {
            return problem(FOLDS, FOLDS + " cannot be combined with " + VALIDATION_SCANS + ": with folds each fold "
                    + "validates on its own scans; leave out " + VALIDATION_SCANS);
        }
        return Optional.empty();
    }

    private static Optional<ParameterProblem> atlasRegistrationWithAtlas(JsonNode p) {
        if (p.has(ATLAS_REGISTRATION) && !atlasInputs(p)) {
            return problem(ATLAS_REGISTRATION, ATLAS_REGISTRATION + " applies only with " + INPUTS + " \"atlas\"; "
                    + "leave it out or set " + INPUTS + " \"atlas\"");
        }
        return Optional.empty();
    }

    private static Optional<ParameterProblem> fieldOfViewWithoutAtlas(JsonNode p) {
        if (p.has(FIELD_OF_VIEW_MM) && atlasInputs(p)) {
            return problem(FIELD_OF_VIEW_MM, FIELD_OF_VIEW_MM + " does not apply with " + INPUTS + " \"atlas\": the model "
                    + "grid lies in atlas space over the atlas's 20 regions; set " + GRID_SPACING_MM + " only");
        }
        return Optional.empty();
    }

    private static Optional<ParameterProblem> positionChannelAgrees(JsonNode p) {
        if (!p.has(POSITION_CHANNEL) || !p.has(INPUTS)) {
            return Optional.empty();
        }
        boolean midline = p.get(POSITION_CHANNEL).booleanValue();
        String meant = midline ? "midline" : "window";
        String inputs = p.get(INPUTS).textValue();
        if (!meant.equals(inputs)) {
            return problem(POSITION_CHANNEL, POSITION_CHANNEL + " " + midline + " means " + INPUTS + " \"" + meant
                    + "\" and contradicts " + INPUTS + " \"" + inputs + "\"; give " + INPUTS + " alone");
        }
        return Optional.empty();
    }

    /** Without beta the gpu-worker sets each plane's beta to 1 − alpha, which must not be negative. */
    private static Optional<ParameterProblem> alphaAloneAtMostOne(JsonNode p) {
        if (p.has(BETA)) {
            return Optional.empty();
        }
        for (String plane : PerPlane.PLANES) {
            OptionalDouble alpha = forPlane(p, ALPHA, plane);
            if (alpha.isPresent() && alpha.getAsDouble() > 1) {
                return problem(ALPHA, ALPHA + " " + alpha.getAsDouble() + " for the " + plane + " plane without " + BETA
                        + " makes beta = 1 − alpha negative; give " + BETA + " too, or " + ALPHA + " within 0..1");
            }
        }
        return Optional.empty();
    }

    private static Optional<ParameterProblem> tverskyWeightsNotBothZero(JsonNode p) {
        for (String plane : PerPlane.PLANES) {
            OptionalDouble alpha = forPlane(p, ALPHA, plane);
            OptionalDouble beta = forPlane(p, BETA, plane);
            if (alpha.isPresent() && beta.isPresent() && alpha.getAsDouble() == 0 && beta.getAsDouble() == 0) {
                return problem(BETA, ALPHA + " and " + BETA + " are both 0 for the " + plane + " plane: the Tversky loss "
                        + "needs one of them above 0");
            }
        }
        return Optional.empty();
    }

    /** Whether the job asks for atlas inputs, which only {@value #INPUTS} can (positionChannel means midline or window). */
    private static boolean atlasInputs(JsonNode p) {
        return ATLAS.equals(p.path(INPUTS).textValue());
    }

    /** A plane's value given for a per-plane key: the number for all planes, or the object's entry. */
    private static OptionalDouble forPlane(JsonNode p, String key, String plane) {
        JsonNode v = p.path(key);
        JsonNode forPlane = v.isObject() ? v.path(plane) : v;
        return forPlane.isNumber() ? OptionalDouble.of(forPlane.doubleValue()) : OptionalDouble.empty();
    }

    private static boolean given(JsonNode p, String key) {
        return p.has(key) && !p.get(key).isNull();
    }

    private static Optional<ParameterProblem> problem(String key, String message) {
        return Optional.of(new ParameterProblem(key, message));
    }
}
