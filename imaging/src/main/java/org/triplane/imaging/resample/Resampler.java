package org.triplane.imaging.resample;

import java.util.concurrent.atomic.AtomicInteger;
import org.triplane.imaging.concurrent.Workers;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Resamples a volume through an affine transform onto a grid, reproducing ITK 5.2's
 * {@code ResampleImageFilter} for linear transforms ({@code LinearThreadedGenerateData}).
 *
 * <p>For each output row (fixed j, k) the input continuous index is computed exactly at
 * {@code i = 0} and at {@code i = nx} (one past the end), and voxel {@code i} uses
 * {@code start + (i / nx)·(end − start)}. A voxel is inside when every continuous index lies in
 * {@code [−0.5, size − 0.5)}; outside voxels get the default value. Rows are independent, so the
 * result is identical whatever the thread count.
 */
public final class Resampler {
    private final int threads;

    /** @param threads worker threads (≥ 1); the calling thread waits. */
    public Resampler(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
    }

    /** A resampler with one thread per available processor. */
    public static Resampler withAllProcessors() {
        return new Resampler(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Resamples {@code in} onto its own grid (the study's "rotate the scan"): {@code out(p) = in(T(p))}.
     *
     * @param outType output voxel type; integer types clamp and truncate as ITK does
     */
    public Volume resample(Volume in, AffineTransform transform, Interpolation interpolation,
                           double defaultValue, DataType outType) {
        Volume out = Volume.allocate(in.geometry(), outType);
        resampleInto(in, transform, interpolation, defaultValue, out);
        return out;
    }

    /**
     * As {@link #resample}, into an existing volume on {@code in}'s grid (its type decides the
     * output type), so that a long-running worker can reuse one output buffer.
     */
    public void resampleInto(Volume in, AffineTransform transform, Interpolation interpolation,
                             double defaultValue, Volume out) {
        if (!out.geometry().sameGrid(in.geometry(), 0)) {
            throw new IllegalArgumentException("output grid " + out.geometry() + " is not the input grid " + in.geometry());
        }
        VoxelBuffer dst = out.voxels();
        resampleRows(in, out.geometry(), transform, interpolation, defaultValue, dst::setRow);
    }

    /** Resamples {@code in} onto {@code grid}, handing each finished row to {@code sink}. */
    public void resampleRows(Volume in, Geometry grid, AffineTransform transform, Interpolation interpolation,
                             double defaultValue, RowSink sink) {
        IndexMap map = new IndexMap(grid, in.geometry(), transform);
        int rows = grid.ny() * grid.nz();
        int block = block(rows);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            double[] row = new double[grid.nx()];
            double[] start = new double[3];
            double[] end = new double[3];
            RowKernel kernel = new RowKernel(in, grid.nx(), interpolation, defaultValue);
            // why: two plans in turn, so that the next row's input reads are under way while the
            // current row is computed; each row's values depend on that row alone
            RowPlan planned = kernel.newPlan();
            RowPlan spare = kernel.newPlan();
            int pending = -1;
            for (int r0 = next.getAndAdd(block); r0 < rows; r0 = next.getAndAdd(block)) {
                for (int r = r0, stop = Math.min(rows, r0 + block); r < stop; r++) {
                    int j = r % grid.ny();
                    int k = r / grid.ny();
                    map.rowEnds(j, k, start, end);
                    kernel.plan(start, end, spare);
                    if (pending >= 0) {
                        kernel.fill(planned, row);
                        sink.accept(pending * grid.nx(), row, grid.nx());
                    }
                    RowPlan t = planned;
                    planned = spare;
                    spare = t;
                    pending = r;
                }
            }
            if (pending >= 0) {
                kernel.fill(planned, row);
                sink.accept(pending * grid.nx(), row, grid.nx());
            }
        };
        Workers.run(threads, "resample", work);
    }

    /**
     * Nearest-neighbour resampling without the values: for every voxel of {@code grid}, the index of the
     * voxel of an input on {@code source} that {@link #resampleRows} with {@link Interpolation#NEAREST}
     * reads (the same voxels, by the same arithmetic), or −1 where it gives the default value; handed
     * over row by row. why: a caller that copies bytes (labels) or reads several volumes at the same
     * voxels finds each voxel once and copies it without a detour through {@code double}.
     */
    public void nearestRows(Geometry source, Geometry grid, AffineTransform transform, IndexRowSink sink) {
        IndexMap map = new IndexMap(grid, source, transform);
        int rows = grid.ny() * grid.nz();
        int block = block(rows);
        AtomicInteger next = new AtomicInteger();
        Workers.run(threads, "resample", () -> {
            int[] row = new int[grid.nx()];
            double[] start = new double[3];
            double[] end = new double[3];
            RowKernel kernel = new RowKernel(source, grid.nx());
            RowPlan plan = kernel.newPlan();
            for (int r0 = next.getAndAdd(block); r0 < rows; r0 = next.getAndAdd(block)) {
                for (int r = r0, stop = Math.min(rows, r0 + block); r < stop; r++) {
                    map.rowEnds(r % grid.ny(), r / grid.ny(), start, end);
                    kernel.plan(start, end, plan);
                    kernel.nearestIndices(plan, row);
                    sink.accept(r * grid.nx(), row, grid.nx());
                }
            }
        });
    }

    /** Rows per block handed to a thread. why: small blocks handed out dynamically keep both cores busy to the end. */
    private int block(int rows) {
        return Math.max(1, Math.min(64, rows / (threads * 8) + 1));
    }
}
