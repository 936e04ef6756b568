package org.triplane.db.scans;

import java.util.List;
import org.triplane.db.Rows;

/**
 * A scan's voxel grid as ITK sees it. Physical space is LPS; voxel (i, j, k) lies at
 * {@code origin + direction · diag(spacing) · (i, j, k)}.
 *
 * @param dims      voxel counts [nx, ny, nz], array order x fastest; each positive
 * @param spacingMm voxel spacing [sx, sy, sz] in millimetres; each positive
 * @param originMm  position of voxel (0, 0, 0), LPS, millimetres
 * @param direction direction cosines, 3×3 row-major (9 values), LPS
 */
public record ScanGeometry(List<Integer> dims, List<Double> spacingMm, List<Double> originMm, List<Double> direction) {

    /** Validates sizes and signs, naming the field that is wrong. */
    public ScanGeometry {
        dims = Rows.fixedSize("dims", dims, 3);
        spacingMm = Rows.fixedSize("spacingMm", spacingMm, 3);
        originMm = Rows.fixedSize("originMm", originMm, 3);
        direction = Rows.fixedSize("direction", direction, 9);
        if (dims.stream().anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("dims: must be positive, got " + dims);
        }
        if (spacingMm.stream().anyMatch(s -> !(s > 0) || s.isInfinite())) {
            throw new IllegalArgumentException("spacingMm: must be positive and finite, got " + spacingMm);
        }
    }
}
