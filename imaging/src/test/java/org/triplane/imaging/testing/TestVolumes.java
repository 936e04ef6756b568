package org.triplane.imaging.testing;

import java.util.SplittableRandom;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/** Builders of small volumes for tests. */
public final class TestVolumes {
    private TestVolumes() {
    }

    /** An oblique grid: direction = a rotation of (20°, −10°, 35°), anisotropic spacing, non-zero origin. */
    public static Geometry oblique(int nx, int ny, int nz) {
        double[] dir = new EulerAngles(Math.toRadians(20), Math.toRadians(-10), Math.toRadians(35)).toMatrix();
        return new Geometry(nx, ny, nz, new double[] {0.8, 1.1, 2.5}, new double[] {-31.5, 12.25, -70.0}, dir);
    }

    /** Random values across the type's useful range (integers for integer types). */
    public static Volume random(Geometry g, DataType type, long seed) {
        Volume v = Volume.allocate(g, type);
        SplittableRandom r = new SplittableRandom(seed);
        double lo = Math.max(type.min(), -3000);
        double hi = Math.min(type.max(), 3000);
        for (int i = 0; i < v.voxels().length(); i++) {
            double x = lo + r.nextDouble() * (hi - lo);
            v.voxels().set(i, type.isInteger() ? Math.floor(x) : x);
        }
        return v;
    }
}
