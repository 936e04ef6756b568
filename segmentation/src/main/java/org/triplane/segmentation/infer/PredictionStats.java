package org.triplane.segmentation.infer;

/**
 * How a {@link PlanePredictor#predict} call went, for task records.
 *
 * @param slices          slices predicted
 * @param seconds         wall time of the call
 * @param slicesPerSecond slices / seconds
 * @param device          {@code "cpu"} or {@code "cuda:N"}
 * @param batchSize       slices per forward pass
 * @param precision       the number type of the convolutions ({@link Precision#wireName()})
 */
public record PredictionStats(int slices, double seconds, double slicesPerSecond, String device, int batchSize,
                              String precision) {
}
