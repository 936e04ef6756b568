package org.triplane.db.scans;

import java.util.List;
import org.triplane.db.Rows;

/**
 * The ITK transform a scan was labelled through: {@code T(p) = M·(p − c) + c + t}, mapping output
 * points to input points, all in LPS millimetres.
 *
 * @param parameters the transform file's 12 parameters: M row-major (9, unitless) then t (3, mm)
 * @param centreMm   c, the file's FixedParameters, millimetres
 * @param eulerDeg   the rotation as Euler angles [x, y, z] in degrees, M = Rz·Ry·Rx
 */
public record ScanTransform(List<Double> parameters, List<Double> centreMm, List<Double> eulerDeg) {

    /** Validates sizes and finiteness, naming the field that is wrong. */
    public ScanTransform {
        parameters = Rows.fixedSize("parameters", parameters, 12);
        centreMm = Rows.fixedSize("centreMm", centreMm, 3);
        eulerDeg = Rows.fixedSize("eulerDeg", eulerDeg, 3);
        for (List<Double> values : List.of(parameters, centreMm, eulerDeg)) {
            if (values.stream().anyMatch(v -> v.isNaN() || v.isInfinite())) {
                throw new IllegalArgumentException("transform: values must be finite, got " + values);
            }
        }
    }
}
