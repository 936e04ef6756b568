package org.triplane.segmentation.data;

/**
 * How {@link SampleBuilder} cuts slices.
 *
 * @param depth            number of 2× down-samplings of the network: slices are padded (value 0,
 *                         centred) to multiples of {@code 2^depth} in height and width; 0..10
 * @param positionChannel  whether to add channel 1, the signed distance from the mid-sagittal plane
 *                         (see {@link PlaneSamples})
 * @param skipEmptySlices  whether to leave out slices without any tissue (every window byte 0); for
 *                         training only, since inference needs a prediction for every slice
 */
public record SampleOptions(int depth, boolean positionChannel, boolean skipEmptySlices) {

    public SampleOptions {
        if (depth < 0 || depth > 10) {
            throw new IllegalArgumentException("sample depth must be 0..10, got " + depth);
        }
    }

    /** Training: empty slices left out. */
    public static SampleOptions training(int depth, boolean positionChannel) {
        return new SampleOptions(depth, positionChannel, true);
    }

    /** Inference: every slice of the model grid, in order. */
    public static SampleOptions inference(int depth, boolean positionChannel) {
        return new SampleOptions(depth, positionChannel, false);
    }

    /** Channels per sample: 1, or 2 with the position channel. */
    public int channels() {
        return positionChannel ? 2 : 1;
    }
}
