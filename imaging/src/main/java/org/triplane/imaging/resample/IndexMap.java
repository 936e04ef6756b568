package org.triplane.imaging.resample;

import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.volume.Geometry;

/**
 * Output voxel index → input continuous index, computed through physical space in the order ITK
 * uses: index → LPS point of the output grid → transform → continuous index of the input grid.
 */
final class IndexMap {
    private final double[] outOrigin;
    private final double[] outIndexToPoint;
    private final double[] m;
    private final double[] offset;
    private final double[] inOrigin;
    private final double[] inPointToIndex;
    private final int nx;

    IndexMap(Geometry out, Geometry in, AffineTransform t) {
        this.outOrigin = out.origin();
        this.outIndexToPoint = out.indexToPhysicalMatrix();
        this.m = t.matrix();
        this.offset = t.offset();
        this.inOrigin = in.origin();
        this.inPointToIndex = in.physicalToIndexMatrix();
        this.nx = out.nx();
    }

    /** Continuous input index at output (0, j, k) and at (nx, j, k). */
    void rowEnds(int j, int k, double[] start, double[] end) {
        map(0, j, k, start);
        map(nx, j, k, end);
    }

    private void map(int i, int j, int k, double[] cidx) {
        double[] p = new double[3];
        for (int r = 0; r < 3; r++) {
            p[r] = outOrigin[r];
            p[r] += outIndexToPoint[r * 3] * i;
            p[r] += outIndexToPoint[r * 3 + 1] * j;
            p[r] += outIndexToPoint[r * 3 + 2] * k;
        }
        double[] q = new double[3];
        for (int r = 0; r < 3; r++) {
            q[r] = m[r * 3] * p[0] + m[r * 3 + 1] * p[1] + m[r * 3 + 2] * p[2] + offset[r] - inOrigin[r];
        }
        for (int r = 0; r < 3; r++) {
            cidx[r] = inPointToIndex[r * 3] * q[0] + inPointToIndex[r * 3 + 1] * q[1] + inPointToIndex[r * 3 + 2] * q[2];
        }
    }
}
