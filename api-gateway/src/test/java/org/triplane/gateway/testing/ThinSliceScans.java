package org.triplane.gateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/**
 * Thin-slice head CTs of any slice count, written slice by slice so that a 600-slice scan never
 * has to fit in the test's heap: 512×512×nz voxels of 0.45×0.45×0.5 mm (LPS, axis-aligned, x
 * fastest), int16 HU: an ellipsoidal head (brain 35 HU inside a 1000 HU skull) in air (−1000 HU),
 * Gaussian noise σ 5 HU; and labels uint8 on the same grid: each brain voxel one of 1..20 by
 * side (x) and front-to-back position (y), 0 elsewhere. Gzip at level 1, as {@link NiftiWriter}
 * writes. The header is {@link NiftiWriter}'s for the grid's first slice with {@code dim[3]} set.
 */
public final class ThinSliceScans {

    private static final int N = 512;
    private static final double[] SPACING = {0.45, 0.45, 0.5};

    private ThinSliceScans() {
    }

    /** @param dir where to write @param nz slices @return {@code dir/ct-<nz>.nii.gz} */
    public static Path ct(Path dir, int nz) {
        SplittableRandom noise = new SplittableRandom(nz);
        return write(dir, "ct-" + nz, nz, DataType.INT16, (x, y, z, r) -> {
            double hu = r < 0.93 ? 35 : r < 1 ? 1000 : -1000;
            return (int) Math.round(hu + 5 * noise.nextGaussian());
        });
    }

    /** @param dir where to write @param nz slices @return {@code dir/labels-<nz>.nii.gz} */
    public static Path labels(Path dir, int nz) {
        return write(dir, "labels-" + nz, nz, DataType.UINT8, (x, y, z, r) -> {
            if (r >= 0.93) {
                return 0;
            }
            int band = Math.min(9, (int) (y * 10.0 / N));
            return (x < N / 2 ? 1 : 11) + band;
        });
    }

    /** A voxel's value from its indices and its normalised distance from the head's centre (1 at the skull's outside). */
    private interface Voxel {
        int value(int x, int y, int z, double r);
    }

    private static Path write(Path dir, String name, int nz, DataType type, Voxel voxel) {
        Geometry grid = new Geometry(N, N, nz, SPACING, new double[] {-115, -115, -nz * SPACING[2] / 2},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Path file = dir.resolve(name + ".nii.gz");
        ByteBuffer slice = ByteBuffer.allocate(N * N * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        double cz = (nz - 1) / 2.0;
        try (OutputStream out = NiftiWriter.fastGzip(Files.newOutputStream(file))) {
            out.write(header(dir, grid, type));
            for (int z = 0; z < nz; z++) {
                slice.clear();
                double dz = (z - cz) * SPACING[2] / 72;
                for (int y = 0; y < N; y++) {
                    double dy = (y - N / 2.0) * SPACING[1] / 95;
                    for (int x = 0; x < N; x++) {
                        double dx = (x - N / 2.0) * SPACING[0] / 80;
                        int v = voxel.value(x, y, z, Math.sqrt(dx * dx + dy * dy + dz * dz));
                        if (type == DataType.INT16) {
                            slice.putShort((short) v);
                        } else {
                            slice.put((byte) v);
                        }
                    }
                }
                out.write(slice.array(), 0, slice.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
        return file;
    }

    private static byte[] header(Path dir, Geometry grid, DataType type) throws IOException {
        Geometry first = new Geometry(grid.nx(), grid.ny(), 1, grid.spacing(), grid.origin(), grid.direction());
        Path one = dir.resolve("one-slice-" + type.label() + ".nii");
        NiftiWriter.write(Volume.allocate(first, type), one);
        byte[] header = Arrays.copyOf(Files.readAllBytes(one), 352);
        Files.delete(one);
        return Phantoms.withShort(header, 46, grid.nz());
    }
}
