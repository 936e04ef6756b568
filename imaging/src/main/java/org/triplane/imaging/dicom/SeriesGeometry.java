package org.triplane.imaging.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.triplane.imaging.volume.Geometry;

/**
 * A series' slices put in order and its grid in ITK's convention (LPS mm), or the reason they form
 * no single axial volume. The one home of the series rules:
 *
 * <ul>
 *   <li>one series: every slice has the same SeriesInstanceUID, image size, pixel spacing and
 *       orientation;</li>
 *   <li>axial: the slice normal (row × column direction) is within {@value #MAX_OBLIQUE_DEGREES}°
 *       of the patient's head–foot axis (an oblique axial reconstruction is taken, a coronal or
 *       sagittal one is not);</li>
 *   <li>no gantry tilt: every slice lies on the line through the first along the normal, within a
 *       tenth of the in-plane pixel size (a tilted acquisition's slices are shifted within their
 *       planes: a sheared grid, which this reader refuses rather than resamples);</li>
 *   <li>complete, evenly spaced: no two slices at one position, and every step between neighbours
 *       equal to the median step within {@value #SPACING_TOLERANCE} (relative; a step of about a
 *       multiple of it means missing slices).</li>
 * </ul>
 *
 * <p>The grid (what ITK's own DICOM reader gives): slices sorted by position along the normal
 * (never by file name or instance number); array axis i along the row direction (column index),
 * j along the column direction (row index), k along the normal; spacing PixelSpacing[1],
 * PixelSpacing[0] and the mean step between slice positions; origin the first slice's
 * ImagePositionPatient; direction columns row, column, normal.
 */
final class SeriesGeometry {
    static final double MAX_OBLIQUE_DEGREES = 30;
    static final double SPACING_TOLERANCE = 0.01;
    private static final double SAME_ORIENTATION = 1e-4;
    private static final double SAME_SPACING_MM = 1e-4;
    private static final double SAME_POSITION_MM = 1e-3;
    private static final double SHEAR_PIXELS = 0.1;

    /** @param slices in the order of the volume's k axis @param geometry the grid */
    record Ordered(List<SliceHeader> slices, Geometry geometry) {
    }

    private SeriesGeometry() {
    }

    static Ordered of(List<SliceHeader> unordered) throws DicomFormatException {
        if (unordered.size() < 2) {
            throw new DicomFormatException(unordered.size() + " image slice: a volume needs at least two (the slice "
                    + "spacing comes from their positions)");
        }
        SliceHeader first = unordered.get(0);
        for (SliceHeader s : unordered) {
            sameSeries(first, s);
        }
        double[] row = unit(Arrays.copyOfRange(first.orientation(), 0, 3), first, "row");
        double[] col = unit(Arrays.copyOfRange(first.orientation(), 3, 6), first, "column");
        if (Math.abs(dot(row, col)) > 1e-3) {
            throw new DicomFormatException(first.name() + ": ImageOrientationPatient's row and column directions are not "
                    + "perpendicular (cosine " + fmt(dot(row, col)) + ")");
        }
        double[] normal = unit(cross(row, col), first, "normal");
        double oblique = Math.toDegrees(Math.acos(Math.min(1, Math.abs(normal[2]))));
        if (oblique > MAX_OBLIQUE_DEGREES) {
            throw new DicomFormatException(String.format(Locale.ROOT, "not an axial series: the slice normal is %.1f° from "
                    + "the head–foot axis (a %s reconstruction; at most %.0f° is taken)", oblique,
                    Math.abs(normal[1]) > Math.abs(normal[0]) ? "coronal" : "sagittal", MAX_OBLIQUE_DEGREES));
        }
        List<SliceHeader> slices = new ArrayList<>(unordered);
        slices.sort(Comparator.comparingDouble((SliceHeader s) -> dot(s.position(), normal)));
        double[] along = new double[slices.size()];
        for (int k = 0; k < along.length; k++) {
            along[k] = dot(slices.get(k).position(), normal);
        }
        checkNoTilt(slices, normal, along, first);
        double spacing = checkSteps(slices, along);
        double[] origin = slices.get(0).position().clone();
        double[] direction = {row[0], col[0], normal[0], row[1], col[1], normal[1], row[2], col[2], normal[2]};
        Geometry g = new Geometry(first.columns(), first.rows(), slices.size(),
                new double[] {first.pixelSpacing()[1], first.pixelSpacing()[0], spacing}, origin, direction);
        return new Ordered(List.copyOf(slices), g);
    }

    private static void sameSeries(SliceHeader a, SliceHeader b) throws DicomFormatException {
        String differ = !a.seriesSha256().equals(b.seriesSha256()) ? "SeriesInstanceUID"
                : a.rows() != b.rows() || a.columns() != b.columns() ? "image size (" + a.columns() + "×" + a.rows() + " and "
                        + b.columns() + "×" + b.rows() + ")"
                : !close(a.pixelSpacing(), b.pixelSpacing(), SAME_SPACING_MM) ? "PixelSpacing"
                : !close(a.orientation(), b.orientation(), SAME_ORIENTATION) ? "ImageOrientationPatient"
                : null;
        if (differ != null) {
            throw new DicomFormatException("more than one series: " + a.name() + " and " + b.name() + " differ in " + differ
                    + "; give one series per folder or zip");
        }
    }

    private static void checkNoTilt(List<SliceHeader> slices, double[] normal, double[] along, SliceHeader first)
            throws DicomFormatException {
        double[] p0 = slices.get(0).position();
        double pixel = Math.min(first.pixelSpacing()[0], first.pixelSpacing()[1]);
        for (int k = 1; k < slices.size(); k++) {
            double[] p = slices.get(k).position();
            double t = along[k] - along[0];
            double[] lateral = {p[0] - p0[0] - t * normal[0], p[1] - p0[1] - t * normal[1], p[2] - p0[2] - t * normal[2]};
            double off = Math.sqrt(dot(lateral, lateral));
            if (off > SHEAR_PIXELS * pixel) {
                double degrees = Math.toDegrees(Math.atan2(off, Math.abs(t)));
                String tag = first.gantryTiltDegrees() != 0
                        ? String.format(Locale.ROOT, "; GantryDetectorTilt %.1f°", first.gantryTiltDegrees()) : "";
                throw new DicomFormatException(String.format(Locale.ROOT, "gantry tilt: slice %s lies %.2f mm off the "
                        + "line through %s along the slice normal (a shear of %.1f°%s); tilted series are refused, not "
                        + "resampled: reconstruct the series without tilt", slices.get(k).name(), off,
                        slices.get(0).name(), degrees, tag));
            }
        }
    }

    /** The mean step between neighbouring slices after checking each against the median. */
    private static double checkSteps(List<SliceHeader> slices, double[] along) throws DicomFormatException {
        double[] steps = new double[along.length - 1];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = along[k + 1] - along[k];
            if (steps[k] < SAME_POSITION_MM) {
                throw new DicomFormatException("two slices at one position (" + slices.get(k).name() + " and "
                        + slices.get(k + 1).name() + ", " + fmt(along[k]) + " mm along the normal): a repeated acquisition "
                        + "or a second series in the folder or zip");
            }
        }
        double[] sorted = steps.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        for (int k = 0; k < steps.length; k++) {
            if (Math.abs(steps[k] - median) > SPACING_TOLERANCE * median) {
                double ratio = steps[k] / median;
                long missing = Math.round(ratio) - 1;
                boolean gap = missing >= 1 && Math.abs(ratio - Math.round(ratio)) <= 0.1;
                String where = slices.get(k).name() + " and " + slices.get(k + 1).name();
                throw new DicomFormatException(gap
                        ? String.format(Locale.ROOT, "incomplete series: %d slice%s missing between %s (a step of %s mm "
                                + "where the others are %s mm)", missing, missing == 1 ? "" : "s", where, fmt(steps[k]), fmt(median))
                        : String.format(Locale.ROOT, "inconsistent slice spacing: %s mm between %s where most steps are "
                                + "%s mm; a volume needs evenly spaced slices", fmt(steps[k]), where, fmt(median)));
            }
        }
        return (along[along.length - 1] - along[0]) / (along.length - 1);
    }

    private static double[] unit(double[] v, SliceHeader s, String what) throws DicomFormatException {
        double n = Math.sqrt(dot(v, v));
        if (!(n > 0.5) || n > 1.5) {
            throw new DicomFormatException(s.name() + ": ImageOrientationPatient's " + what + " direction is not a unit vector");
        }
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }

    private static boolean close(double[] a, double[] b, double tolerance) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
