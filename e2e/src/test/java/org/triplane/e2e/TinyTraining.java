package org.triplane.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** The training parameters of the end-to-end tests' model sets. */
final class TinyTraining {
    private TinyTraining() {
    }

    /**
     * A {@code tiny} U-Net per plane for one epoch with atlas inputs on a 4 mm grid, one scan
     * validating: networks that start from the registered atlas predict regions after that epoch,
     * in seconds per plane.
     */
    static Map<String, Object> withAtlasInputs(int seed) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("preset", "tiny");
        training.put("epochs", 1);
        training.put("inputs", "atlas");
        training.put("gridSpacingMm", 4);
        training.put("validationScans", 1);
        training.put("seed", seed);
        return training;
    }
}
