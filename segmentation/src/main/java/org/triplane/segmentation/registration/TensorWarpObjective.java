package org.triplane.segmentation.registration;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.triplane.imaging.registration.WarpObjective;
import org.triplane.imaging.registration.WarpProblem;
import org.triplane.imaging.volume.Geometry;

/**
 * The deformable stage's objective ({@link WarpProblem}) as libtorch tensor operations on one
 * {@link Device} (the CPU, or a GPU where the engine has one), with the gradient from autograd: the
 * trilinear gather of the displacement at the samples from their control cells' eight nodes, the
 * trilinear gather of the template at the displaced points (eight voxels and their weights), the
 * NCC's reductions, the strain penalty from neighbouring nodes' differences and the fold penalty from
 * every control cell's eight corner Jacobians. Backward, the gathers become scatter-adds onto the
 * nodes.
 *
 * <p>What never changes on a level — the samples' control-cell corners and weights, their atlas points
 * in template voxel indices, the samples less their mean, the template — is copied to the device once;
 * each evaluation sends the node values (3 per node, float32) and reads back the value and the
 * gradient. Arithmetic is float32 (the Java objective's is float64 on float32 images): values agree
 * to below 1e-6; gradients to below 1e-6 of their largest entry on a level of 14 000 samples
 * ({@code TensorWarpObjectiveTest}), to 3e-5–4e-4 on a study-size scan's 600 000 (BENCHMARKS.md, section 23).
 *
 * <p>The gradient is taken inside a DJL {@link GradientCollector}, of which the PyTorch engine
 * allows one at a time per process: evaluations of these objectives take turns, and none may run
 * while a network trains in the same JVM. Threads: libtorch's intra-op pool, set process-wide (see {@code Devices.applyThreads}).
 */
public final class TensorWarpObjective implements WarpObjective {
    /**
     * Held while a gradient is collected. why: DJL's PyTorch engine allows one GradientCollector per
     * process at a time, so two registrations in one JVM evaluate one after the other, not into an
     * IllegalStateException
     */
    private static final Object AUTOGRAD = new Object();
    /** Variance below this per sample makes the NCC undefined (as in the Java objective). */
    private static final double LEAST_VARIANCE_PER_SAMPLE = 1e-9;

    private final NDManager manager;
    private final int samples;
    private final int[] nodeDims;
    private final double spacing;
    private final double smoothness;
    private final double foldWeight;
    private final float outside;
    /** Σ (f − f̄)² of the samples, float64 from the Java side. */
    private final double fVariance;
    /** What each evaluation temporarily attaches to its own manager, so that what it derives is freed with it. */
    private final NDList fixed;
    /** int64 (8n): the node of each sample's control-cell corner. */
    private final NDArray cornerNodes;
    /** float32 (n, 8, 1): each corner's trilinear weight. */
    private final NDArray cornerWeights;
    /** float32 (n, 3): each sample's atlas point as a template voxel index (x, y, z), {@code K·(a − origin)}. */
    private final NDArray start;
    /** float32 (3, 3): {@code Kᵀ}, so that a row of mm displacements times it is a row of voxel-index ones. */
    private final NDArray toIndexT;
    /** float32 (n): {@code f − f̄}. */
    private final NDArray centred;
    /** float32 (template voxels): the template, x fastest. */
    private final NDArray template;
    /** int64 (3): the largest lower voxel index inside the template per axis, {@code n − 2}. */
    private final NDArray lastLower;
    /** int64 (3): the template's index strides, {@code 1, nx, nx·ny}. */
    private final NDArray strides;
    /** int64 (8): each voxel corner's offset from the lower one, in the same corner order as the weights. */
    private final NDArray voxelOffsets;

    private TensorWarpObjective(WarpProblem problem, Device device) {
        this.samples = problem.samples();
        this.nodeDims = problem.grid().dims();
        this.spacing = problem.grid().spacing();
        this.smoothness = problem.smoothness();
        this.foldWeight = problem.foldWeight();
        this.outside = problem.outside();
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            WarpProblem.SampleCorners corners = problem.sampleCorners();
            this.cornerNodes = manager.create(corners.nodes()).toType(DataType.INT64, false);
            this.cornerWeights = manager.create(corners.weights(), new Shape(samples, 8, 1));

            Geometry tg = problem.templateGrid();
            double[] k = tg.physicalToIndexMatrix();
            double[] o = tg.origin();
            float[] a = problem.atlasPoints();
            float[] index = new float[3 * samples];
            for (int i = 0; i < samples; i++) {
                double px = a[3 * i] - o[0];
                double py = a[3 * i + 1] - o[1];
                double pz = a[3 * i + 2] - o[2];
                index[3 * i] = (float) (k[0] * px + k[1] * py + k[2] * pz);
                index[3 * i + 1] = (float) (k[3] * px + k[4] * py + k[5] * pz);
                index[3 * i + 2] = (float) (k[6] * px + k[7] * py + k[8] * pz);
            }
            this.start = manager.create(index, new Shape(samples, 3));
            float[] kt = new float[9];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    kt[3 * c + r] = (float) k[3 * r + c];
                }
            }
            this.toIndexT = manager.create(kt, new Shape(3, 3));

            float[] f = problem.values();
            double mean = 0;
            for (float v : f) {
                mean += v;
            }
            mean /= samples;
            float[] fc = new float[samples];
            double variance = 0;
            for (int i = 0; i < samples; i++) {
                double c = f[i] - mean;
                fc[i] = (float) c;
                variance += c * c;
            }
            this.fVariance = variance;
            this.centred = manager.create(fc);

            this.template = manager.create(problem.template());
            long nx = tg.nx();
            long nxy = nx * tg.ny();
            this.lastLower = manager.create(new long[] {tg.nx() - 2L, tg.ny() - 2L, tg.nz() - 2L});
            this.strides = manager.create(new long[] {1, nx, nxy});
            long[] offsets = new long[8];
            for (int c = 0; c < 8; c++) {
                offsets[c] = (c & 1) + nx * ((c >> 1) & 1) + nxy * ((c >> 2) & 1);
            }
            this.voxelOffsets = manager.create(offsets);
            this.fixed = new NDList(cornerNodes, cornerWeights, start, toIndexT, centred, template, lastLower, strides,
                    voxelOffsets);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Makes each level's objective on {@code device}. */
    public static WarpObjective.Factory on(Device device) {
        return problem -> new TensorWarpObjective(problem, device);
    }

    @Override
    public Value evaluate(double[] parameters) {
        int nodes = nodeDims[0] * nodeDims[1] * nodeDims[2];
        if (parameters.length != 3 * nodes) {
            throw new IllegalArgumentException("the control grid has " + nodes + " nodes, 3 values each, got "
                    + parameters.length + " values");
        }
        float[] values = new float[parameters.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) parameters[i];
        }
        synchronized (AUTOGRAD) {
            return valueAndGradient(values, nodes);
        }
    }

    /** The value and gradient at node values {@code values} (float32, 3 per node); the caller holds {@link #AUTOGRAD}. */
    private Value valueAndGradient(float[] values, int nodes) {
        try (NDManager scope = manager.newSubManager()) {
            fixed.tempAttach(scope);
            NDArray d = scope.create(values, new Shape(nodes, 3));
            d.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray moved = templateAtDisplacedPoints(d);
                NDArray mc = moved.sub(moved.mean());
                NDArray vm = mc.square().sum();
                // why float constants: a double would make these 0-dimensional results float64
                NDArray ncc = centred.mul(mc).sum().mul(vm.pow(-0.5f)).mul((float) (1 / Math.sqrt(fVariance)));
                NDArray d4 = d.reshape(nodeDims[2], nodeDims[1], nodeDims[0], 3);
                NDArray value = ncc;
                if (smoothness > 0) {
                    value = value.sub(strainPenalty(d4).mul((float) (smoothness / (nodes * spacing * spacing))));
                }
                if (foldWeight > 0) {
                    value = value.sub(foldPenalty(d4).mul((float) foldWeight));
                }
                // why backward before the variance is read: one wait for the device per evaluation, not two;
                // where the NCC is undefined the gradient computed is not a number and is dropped
                collector.backward(value);
                double mVariance = vm.getFloat();
                if (!(fVariance > LEAST_VARIANCE_PER_SAMPLE * samples) || !(mVariance > LEAST_VARIANCE_PER_SAMPLE * samples)) {
                    return new Value(Double.NaN, null);
                }
                double result = value.getFloat();
                float[] g = d.getGradient().toFloatArray();
                double[] gradient = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    gradient[i] = g[i];
                }
                return new Value(result, gradient);
            }
        }
    }

    /** float32 (n): the template read trilinearly at {@code a + d(a)}, {@link #outside} where the point leaves its grid. */
    private NDArray templateAtDisplacedPoints(NDArray d) {
        // the displacement at each sample, mm (n, 3): its cell's eight nodes, weighted
        NDArray atSamples = d.get(cornerNodes).reshape(samples, 8, 3).mul(cornerWeights).sum(new int[] {1});
        NDArray point = start.add(atSamples.matMul(toIndexT));
        NDArray floor = point.floor();
        NDArray fraction = point.sub(floor);
        NDArray lower = floor.toType(DataType.INT64, false);
        NDArray inside = lower.gte(0).logicalAnd(lower.lte(lastLower)).toType(DataType.FLOAT32, false)
                .prod(new int[] {1});
        NDArray first = lower.maximum(0).minimum(lastLower).mul(strides).sum(new int[] {1});
        NDArray voxels = template.take(first.expandDims(1).add(voxelOffsets));
        NDArray read = voxels.mul(trilinearWeights(fraction)).sum(new int[] {1});
        // why a blend, not a select: outside the grid the value is the constant and moves nothing
        return read.sub(outside).mul(inside).add(outside);
    }

    /**
     * float32 (n, 8): the eight corners' weights at fractions (n, 3), corner {@code c} being
     * {@code (c & 1, c >> 1 & 1, c >> 2 & 1)} along x, y, z (the voxel offsets' order).
     */
    private static NDArray trilinearWeights(NDArray fraction) {
        NDArray[] pairs = new NDArray[3];
        for (int axis = 0; axis < 3; axis++) {
            NDArray f = fraction.get(":, " + axis);
            pairs[axis] = NDArrays.stack(new NDList(f.neg().add(1), f), 1);
        }
        // (n, z, y, x) with x fastest: the flat index is x + 2y + 4z, the corner number
        return pairs[2].reshape(-1, 2, 1, 1).mul(pairs[1].reshape(-1, 1, 2, 1)).mul(pairs[0].reshape(-1, 1, 1, 2))
                .reshape(-1, 8);
    }

    /** {@code Σ_axis Σ |Δd|²} over neighbouring nodes, mm² (d4: nodes as (z, y, x, component)). */
    private static NDArray strainPenalty(NDArray d4) {
        return difference(d4, 2).square().sum().add(difference(d4, 1).square().sum()).add(difference(d4, 0).square().sum());
    }

    /** Forward differences of the node values along node axis {@code axis} of d4 (0 = z, 1 = y, 2 = x), mm. */
    private static NDArray difference(NDArray d4, int axis) {
        String[] upper = {":", ":", ":"};
        String[] lower = {":", ":", ":"};
        upper[axis] = "1:";
        lower[axis] = ":-1";
        return d4.get(String.join(",", upper)).sub(d4.get(String.join(",", lower)));
    }

    /**
     * {@code Σ max(0, τ − det J)²} over the eight corners of every control cell: at corner
     * {@code (cx, cy, cz)} of cell {@code (x, y, z)}, the Jacobian's column along an axis is the
     * difference along the cell's edge on that axis through the corner, over the spacing, plus the
     * identity's column.
     */
    private NDArray foldPenalty(NDArray d4) {
        int nz = nodeDims[2];
        int ny = nodeDims[1];
        int nx = nodeDims[0];
        NDArray dx = difference(d4, 2).div((float) spacing);
        NDArray dy = difference(d4, 1).div((float) spacing);
        NDArray dz = difference(d4, 0).div((float) spacing);
        NDList colX = new NDList();
        NDList colY = new NDList();
        NDList colZ = new NDList();
        for (int c = 0; c < 8; c++) {
            int cx = c & 1;
            int cy = (c >> 1) & 1;
            int cz = (c >> 2) & 1;
            colX.add(dx.get(range(cz, nz - 1) + "," + range(cy, ny - 1) + "," + range(0, nx - 1)));
            colY.add(dy.get(range(cz, nz - 1) + "," + range(0, ny - 1) + "," + range(cx, nx - 1)));
            colZ.add(dz.get(range(0, nz - 1) + "," + range(cy, ny - 1) + "," + range(cx, nx - 1)));
        }
        // (8·cells, 3): row = corner, column = the displacement's component a
        NDArray x = NDArrays.stack(colX).reshape(-1, 3);
        NDArray y = NDArrays.stack(colY).reshape(-1, 3);
        NDArray z = NDArrays.stack(colZ).reshape(-1, 3);
        // J_ab = δ_ab + column_b[a]
        NDArray j00 = x.get(":, 0").add(1);
        NDArray j10 = x.get(":, 1");
        NDArray j20 = x.get(":, 2");
        NDArray j01 = y.get(":, 0");
        NDArray j11 = y.get(":, 1").add(1);
        NDArray j21 = y.get(":, 2");
        NDArray j02 = z.get(":, 0");
        NDArray j12 = z.get(":, 1");
        NDArray j22 = z.get(":, 2").add(1);
        NDArray det = j00.mul(j11.mul(j22).sub(j12.mul(j21)))
                .sub(j01.mul(j10.mul(j22).sub(j12.mul(j20))))
                .add(j02.mul(j10.mul(j21).sub(j11.mul(j20))));
        return det.neg().add((float) WarpProblem.FOLD_FLOOR).maximum(0).square().sum();
    }

    /** {@code from:from+length}, an index range as DJL's NDIndex strings write it. */
    private static String range(int from, int length) {
        return from + ":" + (from + length);
    }

    @Override
    public void close() {
        manager.close();
    }
}
