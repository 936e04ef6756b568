package org.triplane.imaging.resample;

/** How a resampler reads the input between voxel centres. */
public enum Interpolation {
    /** Trilinear, as ITK's {@code LinearInterpolateImageFunction} (border neighbour clamped): for CT. */
    LINEAR,
    /** Nearest voxel, {@code floor(index + 0.5)} per axis as ITK's {@code NearestNeighborInterpolateImageFunction}: for labels. */
    NEAREST
}
