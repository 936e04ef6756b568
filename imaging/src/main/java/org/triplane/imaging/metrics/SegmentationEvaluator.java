package org.triplane.imaging.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Compares a predicted segmentation with its reference: both uint8 labels 0..20 on one grid
 * (x fastest, LPS mm). Voxels are counted in blocks on several threads, each into its own
 * {@link ConfusionMatrix}, then summed; counts do not depend on the thread count.
 */
public final class SegmentationEvaluator {
    private static final int BLOCK = 1 << 18;
    private static final double GRID_TOLERANCE = 1e-4;

    private final int threads;

    /** @param threads worker threads (≥ 1) */
    public SegmentationEvaluator(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
    }

    /**
     * The confusion matrix of {@code predicted} against {@code truth} (rows truth, columns prediction).
     *
     * @throws IllegalArgumentException when a volume is not uint8, the grids differ, or a label is outside 0..20
     */
    public ConfusionMatrix confusion(Volume truth, Volume predicted) {
        if (truth.type() != DataType.UINT8 || predicted.type() != DataType.UINT8) {
            throw new IllegalArgumentException("reference and prediction must be uint8 labels, got "
                    + truth.type().label() + " and " + predicted.type().label());
        }
        if (!truth.geometry().sameGrid(predicted.geometry(), GRID_TOLERANCE)) {
            throw new IllegalArgumentException("prediction grid " + predicted.geometry()
                    + " differs from the reference grid " + truth.geometry());
        }
        byte[] t = ((VoxelBuffer.UInt8) truth.voxels()).data;
        byte[] p = ((VoxelBuffer.UInt8) predicted.voxels()).data;
        int n = t.length;
        int workers = Math.min(threads, n / BLOCK + 1);
        List<ConfusionMatrix> parts = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        Workers.run(workers, "confusion", () -> {
            ConfusionMatrix mine = new ConfusionMatrix();
            for (int from = next.getAndAdd(BLOCK); from < n; from = next.getAndAdd(BLOCK)) {
                mine.add(t, from, p, from, Math.min(BLOCK, n - from));
            }
            synchronized (parts) {
                parts.add(mine);
            }
        });
        ConfusionMatrix total = new ConfusionMatrix();
        for (ConfusionMatrix m : parts) {
            total.add(m);
        }
        return total;
    }

    /** The study's metrics of {@code predicted} against {@code truth}. */
    public EvaluationSummary evaluate(Volume truth, Volume predicted) {
        return EvaluationSummary.of(confusion(truth, predicted), EvaluationSummary.voxelMl(truth.geometry()));
    }
}
