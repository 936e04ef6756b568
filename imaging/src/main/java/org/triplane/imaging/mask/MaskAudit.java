package org.triplane.imaging.mask;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * Checks of a mask against the scan it was made for, independent of how the mask was made (for
 * tests and benchmarks). Volumes: the scan in HU and a uint8 0/1 mask on the scan's grid (x
 * fastest, LPS mm).
 */
public final class MaskAudit {
    /** HU above which a voxel counts as bone. */
    static final double BONE_HU = 300;
    /** HU below which a voxel counts as air. */
    static final double AIR_HU = -300;

    private MaskAudit() {
    }

    /**
     * Mask voxels of the upper brain (atlas point more than 10 mm above the atlas brain centre, where
     * no skull-base bone lies between brain and head centre) whose straight line to the registered
     * head centre crosses bone (a voxel above 300 HU, sampled every 0.5 mm): they lie outside the skull.
     */
    public static long beyondBone(Volume ct, Volume mask, RegistrationResult registration) {
        Geometry g = ct.geometry();
        byte[] m = ((VoxelBuffer.UInt8) mask.voxels()).data;
        VoxelBuffer hu = ct.voxels();
        double[] h = g.physicalToIndex(registration.headCentre());
        double upper = Atlas.get().brainCentre()[2] + 10;
        AffineTransform toAtlas = registration.scanToAtlas();
        double[] sp = g.spacing();
        long n = 0;
        int idx = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, idx++) {
                    if (m[idx] == 0 || toAtlas.apply(g.indexToPhysical(i, j, k))[2] < upper) {
                        continue;
                    }
                    // why: a straight line in LPS is a straight line in index space; 0.5 mm steps along it
                    double di = h[0] - i;
                    double dj = h[1] - j;
                    double dk = h[2] - k;
                    double mm = Math.sqrt(di * di * sp[0] * sp[0] + dj * dj * sp[1] * sp[1] + dk * dk * sp[2] * sp[2]);
                    int steps = (int) (mm / 0.5);
                    for (int s = 1; s < steps; s++) {
                        double f = (double) s / steps;
                        long a = Math.round(i + di * f);
                        long b = Math.round(j + dj * f);
                        long c = Math.round(k + dk * f);
                        if (a >= 0 && b >= 0 && c >= 0 && a < g.nx() && b < g.ny() && c < g.nz()
                                && hu.get((int) (a + g.nx() * (b + (long) g.ny() * c))) > BONE_HU) {
                            n++;
                            break;
                        }
                    }
                }
            }
        }
        return n;
    }

    /** Mask voxels of air (below −300 HU) or bone (above 300 HU) in the scan itself. */
    public static long airOrBone(Volume ct, Volume mask) {
        byte[] m = ((VoxelBuffer.UInt8) mask.voxels()).data;
        long n = 0;
        for (int i = 0; i < m.length; i++) {
            double hu = ct.voxels().get(i);
            if (m[i] != 0 && (hu < AIR_HU || hu > BONE_HU)) {
                n++;
            }
        }
        return n;
    }
}
