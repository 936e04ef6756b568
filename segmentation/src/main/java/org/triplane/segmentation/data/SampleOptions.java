package org.triplane.segmentation.data;

import java.util.Objects;
import org.triplane.segmentation.model.NetworkInputs;

/**
 * How {@link SampleBuilder} cuts slices.
 *
 * @param depth            number of 2× down-samplings of the network: slices are padded (value 0,
 *                         centred) to multiples of {@code 2^depth} in height and width; 0..10
 * @param inputs           what the channels hold ({@link NetworkInputs}; the atlas inputs need an
 *                         atlas-placed model grid)
 * @param skipEmptySlices  whether to leave out slices without any tissue (every window byte 0); for
 *                         training only, since inference needs a prediction for every slice
 */
public record SampleOptions(int depth, NetworkInputs inputs, boolean skipEmptySlices) {

    public SampleOptions {
        if (depth < 0 || depth > 10) {
            throw new IllegalArgumentException("sample depth must be 0..10, got " + depth);
        }
        Objects.requireNonNull(inputs, "inputs");
    }

    /** Training: empty slices left out. */
    public static SampleOptions training(int depth, NetworkInputs inputs) {
        return new SampleOptions(depth, inputs, true);
    }

    /** Inference: every slice of the model grid, in order. */
    public static SampleOptions inference(int depth, NetworkInputs inputs) {
        return new SampleOptions(depth, inputs, false);
    }

    /** Training with the window and, when {@code positionChannel}, the mid-sagittal distance. */
    public static SampleOptions training(int depth, boolean positionChannel) {
        return training(depth, positionChannel ? NetworkInputs.WINDOW_AND_MIDLINE : NetworkInputs.WINDOW);
    }

    /** Inference with the window and, when {@code positionChannel}, the mid-sagittal distance. */
    public static SampleOptions inference(int depth, boolean positionChannel) {
        return inference(depth, positionChannel ? NetworkInputs.WINDOW_AND_MIDLINE : NetworkInputs.WINDOW);
    }

    /** Channels per sample. */
    public int channels() {
        return inputs.channels();
    }
}
