package org.triplane.imaging.plane;

import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Cuts a one-byte volume into a plane's slice stack and puts a stack back into a volume; the two
 * are exact inverses (padding is dropped on the way back).
 */
public final class PlaneSlicer {
    private PlaneSlicer() {
    }

    /** The stack of {@code plane} for a uint8 volume, slices padded for a U-Net of {@code depth}. */
    public static PlaneStack slice(Volume volume, Plane plane, int depth, byte padValue) {
        byte[] src = bytes(volume);
        PlaneLayout l = PlaneLayout.of(volume.geometry(), plane, depth);
        byte[] out = new byte[Math.multiplyExact(l.slices(), l.paddedHeight() * l.paddedWidth())];
        if (padValue != 0) {
            java.util.Arrays.fill(out, padValue);
        }
        Walk walk = new Walk(volume.geometry(), l);
        int top = l.padTop();
        int left = l.padLeft();
        for (int s = 0; s < l.slices(); s++) {
            for (int h = 0; h < l.height(); h++) {
                int dst = (s * l.paddedHeight() + h + top) * l.paddedWidth() + left;
                int from = walk.start(s, h);
                for (int w = 0; w < l.width(); w++, from += walk.widthStride) {
                    out[dst + w] = src[from];
                }
            }
        }
        return new PlaneStack(l, out, padValue);
    }

    /** The volume on {@code grid} that {@code stack} was cut from (uint8, x fastest). */
    public static Volume assemble(PlaneStack stack, Geometry grid) {
        PlaneLayout l = stack.layout();
        PlaneLayout expected = PlaneLayout.of(grid, l.plane(), 0);
        if (expected.slices() != l.slices() || expected.height() != l.height() || expected.width() != l.width()
                || expected.sliceAxis() != l.sliceAxis()) {
            throw new IllegalArgumentException("stack layout " + l + " does not fit grid " + grid);
        }
        Volume volume = Volume.allocate(grid, DataType.UINT8);
        byte[] dst = ((VoxelBuffer.UInt8) volume.voxels()).data;
        byte[] src = stack.data();
        Walk walk = new Walk(grid, l);
        int top = l.padTop();
        int left = l.padLeft();
        for (int s = 0; s < l.slices(); s++) {
            for (int h = 0; h < l.height(); h++) {
                int from = (s * l.paddedHeight() + h + top) * l.paddedWidth() + left;
                int to = walk.start(s, h);
                for (int w = 0; w < l.width(); w++, to += walk.widthStride) {
                    dst[to] = src[from + w];
                }
            }
        }
        return volume;
    }

    private static byte[] bytes(Volume volume) {
        if (!(volume.voxels() instanceof VoxelBuffer.UInt8 u)) {
            throw new IllegalArgumentException("plane stacks are cut from uint8 volumes, got " + volume.type().label());
        }
        return u.data;
    }

    /** Array offsets of (slice, row, column) positions. */
    private static final class Walk {
        final int widthStride;
        private final int base;
        private final int sliceStride;
        private final int heightStride;

        Walk(Geometry g, PlaneLayout l) {
            int[] dims = g.dims();
            int[] stride = {1, dims[0], dims[0] * dims[1]};
            int b = 0;
            b += l.flipSlice() ? (dims[l.sliceAxis()] - 1) * stride[l.sliceAxis()] : 0;
            b += l.flipHeight() ? (dims[l.heightAxis()] - 1) * stride[l.heightAxis()] : 0;
            b += l.flipWidth() ? (dims[l.widthAxis()] - 1) * stride[l.widthAxis()] : 0;
            this.base = b;
            this.sliceStride = l.flipSlice() ? -stride[l.sliceAxis()] : stride[l.sliceAxis()];
            this.heightStride = l.flipHeight() ? -stride[l.heightAxis()] : stride[l.heightAxis()];
            this.widthStride = l.flipWidth() ? -stride[l.widthAxis()] : stride[l.widthAxis()];
        }

        int start(int s, int h) {
            return base + s * sliceStride + h * heightStride;
        }
    }
}
