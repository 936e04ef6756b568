package org.triplane.segmentation.train;

import java.util.SplittableRandom;

/**
 * Changes a training batch before it becomes tensors: {@code inputs} NCHW float32 and {@code labels}
 * NHW (labels 0..20) of {@code count} slices, both copies that may be changed in place. Draws its
 * randomness from {@code random} only, so that a training stays reproducible for its seed.
 */
@FunctionalInterface
public interface BatchAugmentation {
    void apply(float[] inputs, byte[] labels, int count, int channels, int height, int width, SplittableRandom random);
}
