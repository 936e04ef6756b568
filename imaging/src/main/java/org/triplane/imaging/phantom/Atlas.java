package org.triplane.imaging.phantom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * The real anatomy synthetic scans are built from, shipped as class-path resources under
 * {@code /atlas/} (see {@code ATTRIBUTION.md} there for sources and licences): the MNI ICBM152
 * 2009c symmetric 1 mm grid, 193×229×193 voxels, stored RAS on disk and read through
 * {@link NiftiReader}, so each {@link Geometry} is ITK's LPS view of it (direction
 * {@code diag(−1, −1, 1)}).
 *
 * <ul>
 *   <li>{@link #labels()}: uint8, ASPECTS labels 0..20 in the project convention (1..10 patient
 *       LEFT = +x in LPS, 11..20 RIGHT).</li>
 *   <li>{@link #ct()}: int16, non-contrast head-CT template in HU, air −1024.</li>
 *   <li>{@link #brainMask()}: uint8 0/1, brain plus CSF up to the inner skull table.</li>
 * </ul>
 * All three share one grid; voxel arrays are x fastest ({@code index = i + nx·(j + ny·k)}).
 *
 * <p>The atlas is loaded once per class loader and shared: callers must treat the volumes as
 * read-only.
 */
public final class Atlas {
    /** Class-path folder of the atlas files. */
    public static final String RESOURCE_DIR = "/atlas/";
    static final String LABELS = "aspects-labels-1mm.nii.gz";
    static final String CT = "ct-template-hu-1mm.nii.gz";
    static final String MASK = "brain-mask-1mm.nii.gz";

    private static volatile Atlas instance;

    private final Volume labels;
    private final Volume ct;
    private final Volume brainMask;
    private final double[] brainCentre;

    private Atlas(Volume labels, Volume ct, Volume brainMask) {
        this.labels = labels;
        this.ct = ct;
        this.brainMask = brainMask;
        this.brainCentre = centroid(brainMask);
    }

    /**
     * The shared atlas, read from the class path on first use (thread-safe; later calls return the
     * same instance).
     *
     * @throws UncheckedIOException when a resource is missing or unreadable, which means a broken
     *                              build rather than bad input
     */
    public static Atlas get() {
        Atlas a = instance;
        if (a == null) {
            synchronized (Atlas.class) {
                a = instance;
                if (a == null) {
                    try {
                        a = load();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot load the phantom atlas from the class path", e);
                    }
                    instance = a;
                }
            }
        }
        return a;
    }

    private static Atlas load() throws IOException {
        Volume labels = resource(LABELS, DataType.UINT8);
        Volume ct = resource(CT, DataType.INT16);
        Volume mask = resource(MASK, DataType.UINT8);
        Geometry g = labels.geometry();
        if (!g.sameGrid(ct.geometry(), 1e-6) || !g.sameGrid(mask.geometry(), 1e-6)) {
            throw new IOException("atlas volumes are not on one grid: " + g + ", " + ct.geometry() + ", " + mask.geometry());
        }
        return new Atlas(labels, ct, mask);
    }

    private static Volume resource(String name, DataType expected) throws IOException {
        // why: NiftiReader reads paths only, and a resource inside a jar has none
        Path tmp = Files.createTempFile("triplane-atlas-", ".nii.gz");
        try {
            try (InputStream in = Atlas.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IOException(RESOURCE_DIR + name + ": no such resource");
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Volume v = NiftiReader.read(tmp);
            if (v.type() != expected) {
                throw new IOException(RESOURCE_DIR + name + " holds " + v.type().label() + ", expected " + expected.label());
            }
            return v;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Centroid of the non-zero voxels, LPS mm. */
    private static double[] centroid(Volume mask) {
        Geometry g = mask.geometry();
        byte[] m = ((VoxelBuffer.UInt8) mask.voxels()).data;
        double si = 0, sj = 0, sk = 0;
        long n = 0;
        int idx = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, idx++) {
                    if (m[idx] != 0) {
                        si += i;
                        sj += j;
                        sk += k;
                        n++;
                    }
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("atlas brain mask is empty");
        }
        return g.indexToPhysical(si / n, sj / n, sk / n);
    }

    /** ASPECTS labels 0..20, uint8, x fastest, LPS geometry. */
    public Volume labels() {
        return labels;
    }

    /** CT template, int16 HU (air −1024), x fastest, LPS geometry. */
    public Volume ct() {
        return ct;
    }

    /** Brain mask 0/1, uint8, x fastest, LPS geometry. */
    public Volume brainMask() {
        return brainMask;
    }

    /** The common grid of the three volumes (LPS, mm). */
    public Geometry geometry() {
        return labels.geometry();
    }

    /** Centroid of the brain mask, LPS mm: the point a synthetic head is centred on. */
    public double[] brainCentre() {
        return brainCentre.clone();
    }
}
