package org.triplane.segmentation.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.triplane.segmentation.data.PlaneSamples;

/**
 * Copies chosen slices of {@link PlaneSamples} into tensors: inputs NCHW float32, labels NHW int8
 * (values 0..20), owned by the manager given (normally a per-batch sub-manager).
 *
 * <p>One instance reuses two direct staging buffers. Why: on the CPU, PyTorch tensors made from a
 * direct buffer share its memory instead of copying, and a fresh direct buffer per batch is only
 * freed when the garbage collector happens to run, so native memory would grow with every batch of
 * large slices. Consequently a tensor returned here is valid only until the next call of the same
 * kind; close it (close its sub-manager) before asking for the next batch. Not thread-safe.
 */
public final class SampleTensors {
    private ByteBuffer inputStaging = ByteBuffer.allocateDirect(0);
    private ByteBuffer labelStaging = ByteBuffer.allocateDirect(0);

    /** Inputs of slices {@code indices}, in that order: NCHW float32. */
    public NDArray inputs(NDManager manager, PlaneSamples samples, int[] indices) {
        int sliceFloats = samples.channels() * samples.slicePixels();
        int bytes = Math.multiplyExact(indices.length, sliceFloats * Float.BYTES);
        if (inputStaging.capacity() < bytes) {
            inputStaging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer buffer = inputStaging.duplicate().order(ByteOrder.nativeOrder());
        buffer.clear().limit(bytes);
        for (int index : indices) {
            checkIndex(samples, index);
            buffer.asFloatBuffer().put(samples.inputs(), index * sliceFloats, sliceFloats);
            buffer.position(buffer.position() + sliceFloats * Float.BYTES);
        }
        buffer.flip();
        return manager.create(buffer, new Shape(indices.length, samples.channels(), samples.height(), samples.width()),
                DataType.FLOAT32);
    }

    /** Labels of slices {@code indices}, in that order: NHW int8. */
    public NDArray labels(NDManager manager, PlaneSamples samples, int[] indices) {
        if (!samples.labelled()) {
            throw new IllegalArgumentException("the " + samples.plane() + " samples carry no labels");
        }
        int pixels = samples.slicePixels();
        int bytes = Math.multiplyExact(indices.length, pixels);
        if (labelStaging.capacity() < bytes) {
            labelStaging = ByteBuffer.allocateDirect(bytes);
        }
        ByteBuffer buffer = labelStaging.duplicate();
        buffer.clear().limit(bytes);
        for (int index : indices) {
            checkIndex(samples, index);
            buffer.put(samples.labels(), index * pixels, pixels);
        }
        buffer.flip();
        return manager.create(buffer, new Shape(indices.length, samples.height(), samples.width()), DataType.INT8);
    }

    /** {@code from, from+1, .., from+count-1}. */
    public static int[] range(int from, int count) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static void checkIndex(PlaneSamples samples, int index) {
        if (index < 0 || index >= samples.count()) {
            throw new IndexOutOfBoundsException("slice " + index + " of " + samples.count() + " " + samples.plane()
                    + " samples");
        }
    }
}
