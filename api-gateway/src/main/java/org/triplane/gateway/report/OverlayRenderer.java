package org.triplane.gateway.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.triplane.imaging.labels.LabelPalette;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * Draws the fused labels over the CT they were measured on, a few slices per plane, as PNG.
 *
 * <p>Inputs: the CT as acquired (HU, any voxel type) and the fused labels 0..20 on the same grid,
 * both x fastest, LPS mm. Each voxel axis is matched to the LPS axis its direction cosine points
 * along most (sign included), so a grid stored flipped or permuted still shows the same way:
 * axial and coronal images in radiological convention (the patient's left on the image's right),
 * anterior up in axial, superior up in coronal and sagittal, anterior left in sagittal. Pixels are
 * square in millimetres: the longer side of an image is {@link #LONG_SIDE_PX} pixels, sampled
 * nearest-neighbour. Grey is the CT windowed linearly to 0..255; a labelled voxel is mixed with its
 * {@link LabelPalette} colour.
 */
public final class OverlayRenderer {

    /** Pixels along the longer side of every image. */
    public static final int LONG_SIDE_PX = 256;
    /**
     * Slices per plane: where these fractions of the labelled voxels, counted slice by slice along
     * the plane's normal, are reached (so every slice shown holds labels).
     */
    public static final double[] SLICE_FRACTIONS = {0.25, 0.5, 0.75};
    /** Opacity of a label colour over the CT. */
    private static final double LABEL_OPACITY = 0.5;

    private static final int X = 0;
    private static final int Y = 1;
    private static final int Z = 2;

    /**
     * One rendered slice.
     *
     * @param plane    which plane
     * @param slice    voxel index along the grid axis normal to the plane
     * @param fraction share of the labelled voxels up to and including this slice, as asked for, 0..1
     * @param width    image width, pixels
     * @param height   image height, pixels
     * @param png      the PNG bytes
     */
    public record Overlay(Plane plane, int slice, double fraction, int width, int height, byte[] png) {
    }

    private OverlayRenderer() {
    }

    /**
     * @param ct       CT as acquired, HU
     * @param labels   fused labels 0..20 on the CT's grid
     * @param windowLo lower window bound, HU (black)
     * @param windowHi upper window bound, HU (white)
     * @return per plane (axial, coronal, sagittal) the {@link #SLICE_FRACTIONS}.length slices
     * @throws IllegalArgumentException when the grids differ or the window is empty
     */
    public static Map<Plane, List<Overlay>> render(Volume ct, Volume labels, double windowLo, double windowHi) {
        if (!ct.geometry().sameGrid(labels.geometry(), 1e-3)) {
            throw new IllegalArgumentException("the labels' grid " + labels.geometry() + " is not the CT's " + ct.geometry());
        }
        LabelledPerSlice counts = new LabelledPerSlice(labels.geometry());
        double[] values = new double[labels.geometry().nx()];
        int n = 0;
        for (long row = 0; row < labels.geometry().voxelCount() / values.length; row++) {
            for (int i = 0; i < values.length; i++) {
                values[i] = labels.voxels().get(n + i);
            }
            counts.add(n, values, values.length);
            n += values.length;
        }
        OverlayVoxels voxels = new OverlayVoxels() {
            @Override
            public double hu(int i, int j, int k) {
                return ct.get(i, j, k);
            }

            @Override
            public int label(int i, int j, int k) {
                return (int) Math.round(labels.get(i, j, k));
            }
        };
        return draw(ct.geometry(), choose(ct.geometry(), counts), voxels, windowLo, windowHi);
    }

    /**
     * One slice to draw.
     *
     * @param plane     the plane
     * @param voxelAxis the grid axis normal to it (0 = i, 1 = j, 2 = k)
     * @param slice     the voxel index along that axis
     * @param fraction  the share of labelled voxels it was chosen for
     */
    public record SliceChoice(Plane plane, int voxelAxis, int slice, double fraction) {
    }

    /**
     * The voxels an overlay reads, on one grid indexed (i, j, k): only those of the chosen slices
     * are ever asked for.
     */
    public interface OverlayVoxels {
        /** @return the CT value, HU */
        double hu(int i, int j, int k);

        /** @return the label 0..20 */
        int label(int i, int j, int k);
    }

    /**
     * @param grid   the CT's and labels' grid
     * @param counts labelled voxels per slice along each grid axis
     * @return per plane the {@link #SLICE_FRACTIONS}.length slices to show, axial first
     */
    public static List<SliceChoice> choose(Geometry grid, LabelledPerSlice counts) {
        Axes axes = Axes.of(grid);
        List<SliceChoice> choices = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            int axis = axes.voxelAxis[View.normalOf(plane)];
            for (double f : SLICE_FRACTIONS) {
                choices.add(new SliceChoice(plane, axis, quantileSlice(counts.along(axis), f), f));
            }
        }
        return List.copyOf(choices);
    }

    /**
     * @param grid     the grid of {@code voxels}
     * @param choices  the slices to draw ({@link #choose})
     * @param voxels   the CT and labels, at least on those slices
     * @param windowLo lower window bound, HU (black)
     * @param windowHi upper window bound, HU (white)
     * @return the images per plane, in the order of {@code choices}
     */
    public static Map<Plane, List<Overlay>> draw(Geometry grid, List<SliceChoice> choices, OverlayVoxels voxels,
                                                 double windowLo, double windowHi) {
        if (!(windowHi > windowLo)) {
            throw new IllegalArgumentException("empty HU window [" + windowLo + ", " + windowHi + "]");
        }
        Axes axes = Axes.of(grid);
        Map<Plane, List<Overlay>> out = new EnumMap<>(Plane.class);
        for (SliceChoice c : choices) {
            View view = View.of(c.plane(), axes, grid);
            out.computeIfAbsent(c.plane(), p -> new ArrayList<>()).add(new Overlay(c.plane(), c.slice(), c.fraction(),
                    view.width, view.height, png(draw(voxels, view, c.slice(), windowLo, windowHi))));
        }
        out.replaceAll((p, list) -> List.copyOf(list));
        return out;
    }

    /**
     * The first slice by which {@code fraction} of the labelled voxels are reached: always a slice
     * that holds labels (the mid-sagittal slice between the hemispheres, for one, holds none).
     * Without any label, the slice at that fraction of the volume.
     */
    static int quantileSlice(long[] counts, double fraction) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return (int) Math.round(fraction * (counts.length - 1));
        }
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (counts[i] > 0 && cumulative >= fraction * total) {
                return i;
            }
        }
        return counts.length - 1;
    }

    private static BufferedImage draw(OverlayVoxels voxels, View v, int slice, double lo, double hi) {
        BufferedImage img = new BufferedImage(v.width, v.height, BufferedImage.TYPE_INT_RGB);
        int[] voxel = new int[3];
        for (int py = 0; py < v.height; py++) {
            int row = Math.min(v.rows - 1, (int) ((py + 0.5) * v.rows / v.height));
            for (int px = 0; px < v.width; px++) {
                int col = Math.min(v.cols - 1, (int) ((px + 0.5) * v.cols / v.width));
                v.voxel(col, row, slice, voxel);
                double hu = voxels.hu(voxel[0], voxel[1], voxel[2]);
                int grey = (int) Math.round(Math.max(0, Math.min(255, (hu - lo) / (hi - lo) * 255)));
                int label = voxels.label(voxel[0], voxel[1], voxel[2]);
                int rgb = grey << 16 | grey << 8 | grey;
                if (label >= 1 && label <= 20) {
                    rgb = mix(grey, LabelPalette.rgb(label));
                }
                img.setRGB(px, py, rgb);
            }
        }
        return img;
    }

    private static int mix(int grey, int colour) {
        int r = channel(grey, (colour >> 16) & 0xFF);
        int g = channel(grey, (colour >> 8) & 0xFF);
        int b = channel(grey, colour & 0xFF);
        return r << 16 | g << 8 | b;
    }

    private static int channel(int grey, int c) {
        return (int) Math.round((1 - LABEL_OPACITY) * grey + LABEL_OPACITY * c);
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which voxel axis runs along each LPS axis, and in which direction. */
    private record Axes(int[] voxelAxis, int[] sign) {

        static Axes of(Geometry g) {
            double[] d = g.direction();
            int[] axis = new int[3];
            int[] sign = new int[3];
            boolean[] taken = new boolean[3];
            for (int p = 0; p < 3; p++) {
                int best = -1;
                for (int a = 0; a < 3; a++) {
                    if (!taken[a] && (best < 0 || Math.abs(d[p * 3 + a]) > Math.abs(d[p * 3 + best]))) {
                        best = a;
                    }
                }
                taken[best] = true;
                axis[p] = best;
                sign[p] = d[p * 3 + best] < 0 ? -1 : 1;
            }
            return new Axes(axis, sign);
        }
    }

    /**
     * How one plane is laid out: the LPS axes along image columns and rows (rows possibly running
     * against the axis) and the image size in pixels.
     */
    private record View(int normal, int colAxis, int rowAxis, boolean rowsAgainst, Axes axes, int[] dims,
                        int cols, int rows, int width, int height) {

        /** @return the LPS axis normal to the plane */
        static int normalOf(Plane plane) {
            return switch (plane) {
                case AXIAL -> Z;
                case CORONAL -> Y;
                case SAGITTAL -> X;
            };
        }

        static View of(Plane plane, Axes axes, Geometry g) {
            int normal = normalOf(plane);
            int colAxis;
            int rowAxis;
            boolean rowsAgainst;
            switch (plane) {
                case AXIAL -> {
                    colAxis = X;
                    rowAxis = Y;
                    rowsAgainst = false;
                }
                case CORONAL -> {
                    colAxis = X;
                    rowAxis = Z;
                    rowsAgainst = true;
                }
                default -> {
                    colAxis = Y;
                    rowAxis = Z;
                    rowsAgainst = true;
                }
            }
            int[] dims = g.dims();
            int cols = dims[axes.voxelAxis[colAxis]];
            int rows = dims[axes.voxelAxis[rowAxis]];
            double wMm = cols * g.spacing()[axes.voxelAxis[colAxis]];
            double hMm = rows * g.spacing()[axes.voxelAxis[rowAxis]];
            double pxPerMm = LONG_SIDE_PX / Math.max(wMm, hMm);
            int width = Math.max(1, (int) Math.round(wMm * pxPerMm));
            int height = Math.max(1, (int) Math.round(hMm * pxPerMm));
            return new View(normal, colAxis, rowAxis, rowsAgainst, axes, dims, cols, rows, width, height);
        }

        /** Fills {@code out} with the voxel (i, j, k) shown at image column {@code col}, row {@code row}. */
        void voxel(int col, int row, int slice, int[] out) {
            out[axes.voxelAxis[normal]] = slice;
            out[axes.voxelAxis[colAxis]] = along(colAxis, col);
            int u = rowsAgainst ? rows - 1 - row : row;
            out[axes.voxelAxis[rowAxis]] = along(rowAxis, u);
        }

        /** The voxel index at display position {@code u} counted along the LPS axis {@code p}. */
        private int along(int p, int u) {
            int n = dims[axes.voxelAxis[p]];
            return axes.sign[p] > 0 ? u : n - 1 - u;
        }
    }
}
