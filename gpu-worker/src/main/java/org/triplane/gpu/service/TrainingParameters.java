package org.triplane.gpu.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.imaging.plane.Plane;
import org.triplane.segmentation.data.ModelGrid;
import org.triplane.segmentation.model.NetworkInputs;
import org.triplane.segmentation.model.UNetConfig;
import org.triplane.segmentation.train.TrainingSettings;
import org.triplane.worker.run.PoisonInputException;

/**
 * A TRAIN job's parameters (the job's JSON object), with the defaults filled in. Keys:
 * {@code preset} (small | tiny | study; default small), {@code epochs} (12), {@code batchSize} (8),
 * {@code learningRate} (0.001), {@code seed} (42), {@code validationScans} (1, split by scan),
 * {@code folds} (absent: one model set; an integer k ≥ 2: k-fold cross-validation by scan, one model
 * set per fold, each validated on its fold's scans; not together with {@code validationScans}),
 * {@code inputs} ({@code window} | {@code midline} | {@code atlas}; default {@code midline}: what the networks
 * take besides the window, see {@link #inputsOf}), {@code positionChannel} (the older spelling: true is
 * {@code midline}, false {@code window}), {@code gridSpacingMm} (2.0; 1.5 with atlas inputs),
 * {@code fieldOfViewMm} ([256, 256, 160], LPS x, y, z; not with atlas inputs, whose grid covers the
 * atlas's regions), {@code alpha} and {@code beta} (a number for every plane or an object by plane name;
 * default the study's 0.85/0.15, sagittal 0.8/0.2), {@code crossEntropyWeight} (weight of the pixel-wise
 * cross-entropy added to the Tversky loss, ≥ 0; default {@link TrainingSettings#DEFAULT_CROSS_ENTROPY_WEIGHT}),
 * {@code atlasRegistration} (with atlas inputs: {@code deformable}, the default, for atlas inputs that follow each
 * scan's deformable registration, or {@code affine} for its affine map alone). Unknown keys are ignored here: the
 * gateway refuses them at submission, with the values and combinations this parser would fail the job for.
 *
 * @param preset          network preset name
 * @param epochs          epochs per plane
 * @param batchSize       slices per step
 * @param learningRate    Adam's step size
 * @param seed            seeds the split, initialisation, order, noise and dropout
 * @param validationScans scans held out for validation (without folds)
 * @param folds           k of k-fold cross-validation, or {@code null} for one train/validation split
 * @param inputs          what the networks' input channels hold
 * @param grid            the model grid: on each scan, or in atlas space with {@link NetworkInputs#WINDOW_AND_ATLAS}
 * @param json            the parsed object, for per-plane α/β
 */
public record TrainingParameters(String preset, int epochs, int batchSize, double learningRate, long seed,
                                 int validationScans, Integer folds, NetworkInputs inputs, ModelGrid grid,
                                 JsonNode json) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Model grid spacing of atlas inputs when the job names none, mm: the atlas's regions unblurred, fast on a CPU. */
    public static final double ATLAS_GRID_SPACING_MM = 1.5;

    /** @throws PoisonInputException naming the job and the bad key */
    public static TrainingParameters parse(String jobId, String parametersJson) {
        try {
            JsonNode p = JSON.readTree(parametersJson == null || parametersJson.isBlank() ? "{}" : parametersJson);
            if (!p.isObject()) {
                throw new IllegalArgumentException("parameters must be a JSON object");
            }
            String preset = p.path("preset").asText("small");
            UNetConfig.preset(preset, 1);
            NetworkInputs inputs = inputsOf(p);
            ModelGrid grid = grid(p, inputs);
            TrainingParameters t = new TrainingParameters(preset, (int) number(p, "epochs", 12), (int) number(p, "batchSize", 8),
                    number(p, "learningRate", 1e-3), (long) number(p, "seed", 42), (int) number(p, "validationScans", 1),
                    folds(p), inputs, grid, p);
            for (Plane plane : Plane.values()) {
                t.settings(plane);
            }
            return t;
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PoisonInputException("TRAIN job " + jobId + ": bad parameters: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code inputs} parameter, or its older spelling {@code positionChannel}: {@code window} (the
     * window alone), {@code midline} (and the distance from the mid-sagittal plane; the default) or
     * {@code atlas} (and the registered atlas: its template, coordinates and label shares, on a model
     * grid in atlas space). Both keys together must agree.
     */
    static NetworkInputs inputsOf(JsonNode p) {
        JsonNode position = p.path("positionChannel");
        Boolean midline = position.isMissingNode() ? null
                : position.isBoolean() ? Boolean.valueOf(position.booleanValue())
                : "true".equals(position.asText()) ? Boolean.TRUE : "false".equals(position.asText()) ? Boolean.FALSE : null;
        if (!position.isMissingNode() && midline == null) {
            throw new IllegalArgumentException("positionChannel must be true or false, got " + position);
        }
        JsonNode i = p.path("inputs");
        if (i.isMissingNode()) {
            return midline == null || midline ? NetworkInputs.WINDOW_AND_MIDLINE : NetworkInputs.WINDOW;
        }
        NetworkInputs inputs = switch (i.isTextual() ? i.textValue() : "") {
            case "window" -> NetworkInputs.WINDOW;
            case "midline" -> NetworkInputs.WINDOW_AND_MIDLINE;
            case "atlas" -> NetworkInputs.WINDOW_AND_ATLAS;
            default -> throw new IllegalArgumentException("inputs must be \"window\", \"midline\" or \"atlas\", got " + i);
        };
        if (midline != null && midline != (inputs == NetworkInputs.WINDOW_AND_MIDLINE)) {
            throw new IllegalArgumentException("positionChannel " + midline + " contradicts inputs \""
                    + wireName(inputs) + "\" (positionChannel true means inputs \"midline\", false \"window\"); give inputs alone");
        }
        return inputs;
    }

    /** How {@code inputs} is spelled in a job's parameters and the registry's hyper-parameters. */
    public static String wireName(NetworkInputs inputs) {
        return switch (inputs) {
            case WINDOW -> "window";
            case WINDOW_AND_MIDLINE -> "midline";
            case WINDOW_AND_ATLAS -> "atlas";
        };
    }

    /**
     * The model grid: with atlas inputs the atlas's regions at {@code gridSpacingMm} (default
     * {@link #ATLAS_GRID_SPACING_MM}), which leaves no field of view to choose; otherwise
     * {@link ModelGrid#COARSE} with {@code gridSpacingMm} and {@code fieldOfViewMm} applied.
     */
    private static ModelGrid grid(JsonNode p, NetworkInputs inputs) {
        if (inputs == NetworkInputs.WINDOW_AND_ATLAS) {
            if (p.has("fieldOfViewMm")) {
                throw new IllegalArgumentException("fieldOfViewMm does not apply with inputs \"atlas\": the model grid lies in "
                        + "atlas space over the atlas's 20 regions; set gridSpacingMm only");
            }
            ModelGrid grid = ModelGrid.aspectsInAtlas(number(p, "gridSpacingMm", ATLAS_GRID_SPACING_MM));
            String registration = p.path("atlasRegistration").asText("deformable");
            return switch (registration) {
                case "deformable" -> grid.withDeformableAtlas();
                case "affine" -> grid;
                default -> throw new IllegalArgumentException("atlasRegistration must be \"deformable\" or \"affine\", got \""
                        + registration + "\"");
            };
        }
        if (p.has("atlasRegistration")) {
            throw new IllegalArgumentException("atlasRegistration applies only with inputs \"atlas\"");
        }
        ModelGrid grid = ModelGrid.COARSE;
        if (p.has("gridSpacingMm") || p.has("fieldOfViewMm")) {
            double spacing = number(p, "gridSpacingMm", grid.spacingMm());
            double[] fov = grid.fieldOfViewMm();
            JsonNode f = p.path("fieldOfViewMm");
            if (!f.isMissingNode()) {
                if (!f.isArray() || f.size() != 3) {
                    throw new IllegalArgumentException("fieldOfViewMm must be [x, y, z] in mm");
                }
                for (int i = 0; i < 3; i++) {
                    fov[i] = f.get(i).asDouble();
                }
            }
            grid = ModelGrid.of(spacing, fov[0], fov[1], fov[2]);
        }
        return grid;
    }

    /**
     * The {@code folds} parameter: absent or null for one split, else an integer ≥ 2 (whether the job
     * has that many scans is checked against its scans) that excludes {@code validationScans}.
     */
    private static Integer folds(JsonNode p) {
        JsonNode f = p.path("folds");
        if (f.isMissingNode() || f.isNull()) {
            return null;
        }
        if (!f.canConvertToExactIntegral() || !f.canConvertToInt()) {
            throw new IllegalArgumentException("folds must be an integer number of folds, got " + f);
        }
        if (f.intValue() < 2) {
            throw new IllegalArgumentException("folds must be at least 2, got " + f.intValue());
        }
        if (p.has("validationScans")) {
            throw new IllegalArgumentException("folds cannot be combined with validationScans: each fold validates on "
                    + "its own scans");
        }
        return f.intValue();
    }

    /** Whether the networks take the registered atlas, so that every scan needs its atlas registration. */
    public boolean atlasInputs() {
        return inputs == NetworkInputs.WINDOW_AND_ATLAS;
    }

    /** The network for every plane of this job. */
    public UNetConfig network() {
        return UNetConfig.preset(preset, inputs.channels());
    }

    /** Epochs, batch, learning rate, seed and the plane's Tversky α/β. */
    public TrainingSettings settings(Plane plane) {
        TrainingSettings study = TrainingSettings.study(plane, epochs, seed);
        double alpha = perPlane("alpha", plane, study.alpha());
        double beta = perPlane("beta", plane, json.has("alpha") && !json.has("beta") ? 1 - alpha : study.beta());
        double crossEntropyWeight = number(json, "crossEntropyWeight", TrainingSettings.DEFAULT_CROSS_ENTROPY_WEIGHT);
        return new TrainingSettings(epochs, batchSize, learningRate, alpha, beta, crossEntropyWeight, seed);
    }

    /** Everything that decides the plane's model, for the registry's hyper-parameters column. */
    public Map<String, Object> describe(Plane plane) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("network", network().toMap());
        m.put("training", settings(plane).toMap());
        m.put("loss", settings(plane).crossEntropyWeight() > 0 ? "tversky+cross-entropy" : "tversky");
        m.put("inputs", wireName(inputs));
        // why: readers of registries written before inputs existed look for this key
        m.put("positionChannel", inputs == NetworkInputs.WINDOW_AND_MIDLINE);
        m.put("grid", grid.toMap());
        if (folds == null) {
            m.put("validationScans", validationScans);
        } else {
            m.put("folds", folds);
        }
        return m;
    }

    private double perPlane(String key, Plane plane, double fallback) {
        JsonNode v = json.path(key);
        if (v.isMissingNode()) {
            return fallback;
        }
        if (v.isObject()) {
            JsonNode p = v.path(plane.wireName());
            return p.isMissingNode() ? fallback : requireNumber(key + "." + plane.wireName(), p);
        }
        return requireNumber(key, v);
    }

    private static double number(JsonNode p, String key, double fallback) {
        JsonNode v = p.path(key);
        return v.isMissingNode() ? fallback : requireNumber(key, v);
    }

    private static double requireNumber(String key, JsonNode v) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + v);
        }
        return v.asDouble();
    }
}
