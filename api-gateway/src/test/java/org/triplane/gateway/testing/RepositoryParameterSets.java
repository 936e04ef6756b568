package org.triplane.gateway.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job parameter sets that the repository's command line, tools, benchmarks, end-to-end tests
 * and README examples submit, each as its source builds it (names made unique where the source
 * makes them so); a train set fits a job of two scans.
 */
public final class RepositoryParameterSets {

    /**
     * @param source     where the set is submitted
     * @param kind       segment, evaluate or train
     * @param parameters the parameters
     */
    public record ParameterSet(String source, String kind, Map<String, Object> parameters) {
    }

    private RepositoryParameterSets() {
    }

    /** @param unique a text that makes model set names unique @return every set */
    public static List<ParameterSet> all(String unique) {
        return List.of(
                new ParameterSet("cli PipelineDemo (triplane demo), train", "train", ordered(
                        "preset", "small", "epochs", 2, "inputs", "atlas", "gridSpacingMm", 1.5, "validationScans", 1,
                        "seed", 7L, "modelSetName", "demo-" + unique)),
                new ParameterSet("cli PipelineDemo, evaluate", "evaluate", ordered("fusion", "majority")),
                new ParameterSet("tools/train-default-model-set.sh and models/default/model-set.json, train", "train",
                        ordered("inputs", "atlas", "gridSpacingMm", 1.5, "preset", "small", "epochs", 2,
                                "validationScans", 1, "seed", 42, "crossEntropyWeight", 1.0,
                                "atlasRegistration", "deformable")),
                new ParameterSet("tools/train-default-model-set.sh, evaluate", "evaluate", ordered("fusion", "learned")),
                new ParameterSet("benchmarks/derived-transform-vs-itk.sh, train", "train", ordered(
                        "preset", "tiny", "epochs", 1, "gridSpacingMm", 8, "fieldOfViewMm", List.of(256, 256, 160),
                        "validationScans", 1, "seed", 11, "modelSetName", "derived-transform-check-" + unique)),
                new ParameterSet("e2e TrainAndEvaluateEndToEndIT and DefaultModelSetEndToEndIT, train", "train", ordered(
                        "preset", "tiny", "epochs", 2, "gridSpacingMm", 8, "fieldOfViewMm", List.of(256, 256, 160),
                        "validationScans", 1, "seed", 3)),
                new ParameterSet("e2e TinyTraining.withAtlasInputs, train", "train", ordered(
                        "preset", "tiny", "epochs", 1, "inputs", "atlas", "gridSpacingMm", 4, "validationScans", 1,
                        "seed", 5)),
                new ParameterSet("e2e TrainAndEvaluateEndToEndIT, segment", "segment", ordered("fusionAtlasVoter", true)),
                new ParameterSet("e2e LearnedFusionEndToEndIT, evaluate", "evaluate", ordered("fusion", "learned")),
                new ParameterSet("README (triplane submit --param folds=5), train", "train", ordered("folds", 2)),
                new ParameterSet("cli submit --help (--param preset=tiny --param epochs=3), train", "train",
                        ordered("preset", "tiny", "epochs", 3)),
                new ParameterSet("cli submit --help (--param fusion=confidence), segment", "segment",
                        ordered("fusion", "confidence")),
                new ParameterSet("gateway TrainingAndModelsIT, train", "train", ordered(
                        "epochs", 3, "alpha", Map.of("sagittal", 0.8), "modelSetName", "it-" + unique)));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
