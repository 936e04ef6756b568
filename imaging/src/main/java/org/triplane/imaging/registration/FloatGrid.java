package org.triplane.imaging.registration;

import org.triplane.imaging.volume.Geometry;

/**
 * A float image on an ITK grid: {@code values} x fastest ({@code index = i + nx·(j + ny·k)}),
 * {@link Geometry} in LPS mm. Registration keeps its working images in this form: windowed HU
 * (see {@link IntensityWindow}) or a 0..1 tissue fraction.
 */
record FloatGrid(Geometry geometry, float[] values) {

    FloatGrid {
        if (geometry.voxelCount() != values.length) {
            throw new IllegalArgumentException("grid has " + geometry.voxelCount() + " voxels but " + values.length + " values");
        }
    }

    int nx() {
        return geometry.nx();
    }

    int ny() {
        return geometry.ny();
    }

    int nz() {
        return geometry.nz();
    }
}
