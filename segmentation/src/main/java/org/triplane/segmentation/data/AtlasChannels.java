package org.triplane.segmentation.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.registration.DisplacementField;
import org.triplane.imaging.plane.PlaneSlicer;
import org.triplane.imaging.plane.PlaneStack;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The atlas on an atlas-placed {@link ModelGrid}: its CT template as the study window sees it (each
 * 1 mm voxel windowed, then averaged over the model voxel, as a scan is windowed and then resampled)
 * and, for every model voxel and every label 0..20, the share of the atlas's 1 mm voxels inside it
 * that carry the label, stored as a byte ({@code round(255·share)}). They are the same for every
 * scan (the scan is what moves into atlas space), so they are made once per grid and kept. A model
 * voxel outside the atlas's field of view is air and all background. A scan with a deformable
 * registration gets its own copy moved by it ({@link #warped}).
 *
 * <p>Volumes: uint8, x fastest, on {@link ModelGrid#atlasGeometry()} (LPS mm, identity direction).
 */
final class AtlasChannels {
    /** Labels 0..20. */
    static final int LABELS = 21;

    private static final Map<ModelGrid, AtlasChannels> CACHE = new ConcurrentHashMap<>();

    private final Volume template;
    private final Volume[] shares;
    /** Slice stacks by plane and depth; null for a scan's own (warped) channels, which are cut on each call. */
    private final Map<String, PlaneStack[]> stacks;

    private AtlasChannels(Volume template, Volume[] shares, boolean keepStacks) {
        this.template = template;
        this.shares = shares;
        // why: the grid's shared channels serve every scan and are worth keeping cut; a scan's own would
        // hold three planes' copies of 22 volumes for every training scan at once
        this.stacks = keepStacks ? new ConcurrentHashMap<>() : null;
    }

    /** The shares on {@code grid}, made on first use. */
    static AtlasChannels of(ModelGrid grid) {
        return CACHE.computeIfAbsent(grid, AtlasChannels::make);
    }

    /**
     * These channels moved by a scan's deformable registration: the value at model point {@code p}
     * (affine atlas space, LPS mm) becomes this one's at {@code p + d(p)}, trilinear, each byte
     * rounded; beyond the grid the edge voxel's value holds.
     */
    AtlasChannels warped(DisplacementField field) {
        Geometry model = template.geometry();
        int[] d = model.dims();
        double[] origin = model.origin();
        double spacing = model.spacing()[0];
        int voxels = (int) model.voxelCount();
        int[] base = new int[voxels];
        float[] weights = new float[3 * voxels];
        double[] p = new double[3];
        double[] q = new double[3];
        int v = 0;
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++, v++) {
                    p[0] = origin[0] + spacing * i;
                    p[1] = origin[1] + spacing * j;
                    p[2] = origin[2] + spacing * k;
                    field.displace(p, q);
                    double u = clamp((q[0] - origin[0]) / spacing, d[0] - 1);
                    double w = clamp((q[1] - origin[1]) / spacing, d[1] - 1);
                    double z = clamp((q[2] - origin[2]) / spacing, d[2] - 1);
                    int i0 = Math.min((int) u, d[0] - 2);
                    int j0 = Math.min((int) w, d[1] - 2);
                    int k0 = Math.min((int) z, d[2] - 2);
                    base[v] = i0 + d[0] * (j0 + d[1] * k0);
                    weights[3 * v] = (float) (u - i0);
                    weights[3 * v + 1] = (float) (w - j0);
                    weights[3 * v + 2] = (float) (z - k0);
                }
            }
        }
        Volume[] moved = new Volume[LABELS];
        for (int label = 0; label < LABELS; label++) {
            moved[label] = resample(shares[label], base, weights, d);
        }
        return new AtlasChannels(resample(template, base, weights, d), moved, false);
    }

    private static Volume resample(Volume src, int[] base, float[] weights, int[] d) {
        byte[] in = ((VoxelBuffer.UInt8) src.voxels()).data;
        Volume out = Volume.allocate(src.geometry(), DataType.UINT8);
        byte[] o = ((VoxelBuffer.UInt8) out.voxels()).data;
        int nx = d[0];
        int nxy = d[0] * d[1];
        for (int v = 0; v < base.length; v++) {
            int b = base[v];
            double fx = weights[3 * v];
            double fy = weights[3 * v + 1];
            double fz = weights[3 * v + 2];
            double c00 = (in[b] & 0xFF) + fx * ((in[b + 1] & 0xFF) - (in[b] & 0xFF));
            double c10 = (in[b + nx] & 0xFF) + fx * ((in[b + nx + 1] & 0xFF) - (in[b + nx] & 0xFF));
            double c01 = (in[b + nxy] & 0xFF) + fx * ((in[b + nxy + 1] & 0xFF) - (in[b + nxy] & 0xFF));
            double c11 = (in[b + nxy + nx] & 0xFF) + fx * ((in[b + nxy + nx + 1] & 0xFF) - (in[b + nxy + nx] & 0xFF));
            double c0 = c00 + fy * (c10 - c00);
            double c1 = c01 + fy * (c11 - c01);
            o[v] = (byte) Math.round(c0 + fz * (c1 - c0));
        }
        return out;
    }

    private static double clamp(double u, int max) {
        return u < 0 ? 0 : (u > max ? max : u);
    }

    /** Label {@code label}'s share volume (uint8, 255 = the whole voxel). */
    Volume share(int label) {
        return shares[label];
    }

    /** The template's window bytes (0..254, like the scan's). */
    Volume template() {
        return template;
    }

    /**
     * The template (index 0) and the 21 share volumes (index 1 + label) cut into {@code plane}'s
     * slices, padded for {@code depth} (background's share padded with 255, the others with 0).
     */
    PlaneStack[] stacks(Plane plane, int depth) {
        return stacks == null ? cut(plane, depth) : stacks.computeIfAbsent(plane + "/" + depth, k -> cut(plane, depth));
    }

    private PlaneStack[] cut(Plane plane, int depth) {
        PlaneStack[] out = new PlaneStack[1 + LABELS];
        out[0] = PlaneSlicer.slice(template, plane, depth, (byte) 0);
        for (int label = 0; label < LABELS; label++) {
            out[1 + label] = PlaneSlicer.slice(shares[label], plane, depth, (byte) (label == 0 ? 255 : 0));
        }
        return out;
    }

    private static AtlasChannels make(ModelGrid grid) {
        Geometry model = grid.atlasGeometry();
        Atlas atlas = Atlas.get();
        Geometry ag = atlas.geometry();
        byte[] labels = ((VoxelBuffer.UInt8) atlas.labels().voxels()).data;
        short[] hu = ((VoxelBuffer.Int16) atlas.ct().voxels()).data;
        int voxels = (int) model.voxelCount();
        int[] counts = new int[LABELS * voxels];
        int[] totals = new int[voxels];
        int[] windowSums = new int[voxels];
        int[] d = model.dims();
        double[] origin = model.origin();
        double spacing = grid.spacingMm();
        int anx = ag.nx();
        int any = ag.ny();
        double[] m = ag.indexToPhysicalMatrix();
        double[] ao = ag.origin();
        for (int k = 0; k < ag.nz(); k++) {
            for (int j = 0; j < any; j++) {
                for (int i = 0; i < anx; i++) {
                    double x = ao[0] + m[0] * i + m[1] * j + m[2] * k;
                    double y = ao[1] + m[3] * i + m[4] * j + m[5] * k;
                    double z = ao[2] + m[6] * i + m[7] * j + m[8] * k;
                    int mi = (int) Math.round((x - origin[0]) / spacing);
                    int mj = (int) Math.round((y - origin[1]) / spacing);
                    int mk = (int) Math.round((z - origin[2]) / spacing);
                    if (mi < 0 || mj < 0 || mk < 0 || mi >= d[0] || mj >= d[1] || mk >= d[2]) {
                        continue;
                    }
                    int v = mi + d[0] * (mj + d[1] * mk);
                    int a = i + anx * (j + any * k);
                    totals[v]++;
                    counts[(labels[a] & 0xFF) * voxels + v]++;
                    windowSums[v] += Window.STUDY.toByte(hu[a]);
                }
            }
        }
        Volume[] shares = new Volume[LABELS];
        for (int label = 0; label < LABELS; label++) {
            shares[label] = Volume.allocate(model, DataType.UINT8);
            byte[] out = ((VoxelBuffer.UInt8) shares[label].voxels()).data;
            for (int v = 0; v < voxels; v++) {
                // why: outside the atlas's field of view there is no anatomy: all background
                double share = totals[v] == 0 ? (label == 0 ? 1 : 0) : (double) counts[label * voxels + v] / totals[v];
                out[v] = (byte) Math.round(255 * share);
            }
        }
        Volume template = Volume.allocate(model, DataType.UINT8);
        byte[] window = ((VoxelBuffer.UInt8) template.voxels()).data;
        for (int v = 0; v < voxels; v++) {
            window[v] = (byte) (totals[v] == 0 ? 0 : Math.round((double) windowSums[v] / totals[v]));
        }
        return new AtlasChannels(template, shares, true);
    }
}
