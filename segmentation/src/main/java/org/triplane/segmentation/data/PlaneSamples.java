package org.triplane.segmentation.data;

import java.util.Objects;
import org.triplane.imaging.plane.Plane;

/**
 * Slices of one plane on a model grid, ready to become tensors.
 *
 * <p>{@code inputs} is NCHW float32, {@code inputs[((n * channels + c) * height + h) * width + w]}:
 * channel 0 is the window byte divided by 254 (0 = at or below the window's low end, 1 = its high
 * end); channel 1, when {@code channels == 2}, is the position channel: the pixel's signed distance
 * from the scan's mid-sagittal plane along LPS x, in units of 100 mm, positive toward the patient's
 * left (so a pixel 30 mm left of the midline holds 0.3); with 26 channels, channels 1–25 are the atlas
 * inputs of {@link org.triplane.segmentation.model.NetworkInputs#WINDOW_AND_ATLAS}. Rows and columns follow {@link Plane}'s
 * layout (for example axial: rows toward posterior, columns toward patient left).
 *
 * <p>{@code height} and {@code width} are the padded slice size: the model grid's slice
 * ({@link ModelGrid#sliceSize}) centred in multiples of {@code 2^depth}. Padding holds 0 in channel 0
 * and in the labels; the position channel continues linearly into it. Slices come scan by scan,
 * each scan's in the plane's slice order ({@link SampleBuilder}).
 *
 * <p>{@code labels} is NHW uint8 ASPECTS labels 0..20 ({@code labels[(n * height + h) * width + w]}),
 * or {@code null} for unlabelled scans. {@code scanIndex[n]} says which input scan slice n came from,
 * so that splits and metrics stay per scan.
 */
public record PlaneSamples(Plane plane, int count, int channels, int height, int width, float[] inputs, byte[] labels,
                           int[] scanIndex) {

    public PlaneSamples {
        Objects.requireNonNull(plane, "plane");
        if (count < 0 || channels < 1 || channels > 64 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad sample shape: count " + count + ", channels " + channels
                    + ", " + height + "x" + width);
        }
        long pixels = (long) count * height * width;
        if (inputs.length != pixels * channels) {
            throw new IllegalArgumentException("inputs hold " + inputs.length + " floats, NCHW needs " + pixels * channels);
        }
        if (labels != null && labels.length != pixels) {
            throw new IllegalArgumentException("labels hold " + labels.length + " bytes, NHW needs " + pixels);
        }
        if (scanIndex.length != count) {
            throw new IllegalArgumentException("scanIndex has " + scanIndex.length + " entries for " + count + " slices");
        }
    }

    /** Pixels in one slice. */
    public int slicePixels() {
        return height * width;
    }

    /** Whether ground-truth labels are present. */
    public boolean labelled() {
        return labels != null;
    }
}
