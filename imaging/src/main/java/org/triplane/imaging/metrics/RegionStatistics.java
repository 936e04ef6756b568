package org.triplane.imaging.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.volume.Volume;

/**
 * What can be measured in every scan without a reference segmentation: the size and CT density
 * of each predicted ASPECTS region, and the density of each left region against its right twin.
 *
 * <p>These are measurements, not a diagnosis. A left/right difference flags a region for a
 * reader's attention; it can come from segmentation error, beam hardening, noise or anatomy as
 * well as from disease, and no threshold here has been validated clinically.
 *
 * <p>Inputs: the CT as acquired (HU, any voxel type) and the predicted labels mapped onto that
 * same grid (uint8 0..20), both x fastest, LPS mm. Measuring on the acquired grid uses the
 * stored HU values, untouched by interpolation.
 *
 * @param regions labels 1..20 in order (index = label − 1)
 * @param pairs   the ten left/right pairs in order of the left label 1..10
 */
public record RegionStatistics(List<RegionMeasurement> regions, List<HemisphereComparison> pairs) {
    /** A pair is flagged when the mean HU of its two sides differ by at least this much (HU). */
    public static final double DIFFERENCE_LIMIT_HU = 2.0;
    /** A pair is flagged when smaller mean / larger mean is at most this. */
    public static final double RATIO_LIMIT = 0.95;

    public RegionStatistics {
        regions = List.copyOf(regions);
        pairs = List.copyOf(pairs);
    }

    /**
     * @param ct     CT as acquired, HU
     * @param labels predicted labels 0..20 on the CT's grid
     * @throws IllegalArgumentException when the grids differ or a label is outside 0..20
     */
    public static RegionStatistics of(Volume ct, Volume labels) {
        return of(RegionHuStatistics.of(ct, labels));
    }

    /** The statistics from per-label counts, volumes, means and medians already computed. */
    public static RegionStatistics of(RegionHuStatistics hu) {
        List<RegionMeasurement> regions = new ArrayList<>(AspectsRegion.COUNT);
        for (AspectsRegion r : AspectsRegion.values()) {
            int l = r.label();
            regions.add(new RegionMeasurement(l, r.displayName(), hu.counts()[l], hu.volumes()[l], hu.means()[l], hu.medians()[l]));
        }
        List<HemisphereComparison> pairs = new ArrayList<>(AspectsRegion.COUNT / 2);
        for (AspectsRegion left : AspectsRegion.values()) {
            if (left.label() <= AspectsRegion.COUNT / 2) {
                pairs.add(compare(regions.get(left.label() - 1), regions.get(left.contralateral().label() - 1), left.shortName()));
            }
        }
        return new RegionStatistics(regions, pairs);
    }

    private static HemisphereComparison compare(RegionMeasurement left, RegionMeasurement right, String region) {
        if (!left.present() || !right.present()) {
            String missing = !left.present() && !right.present()
                    ? describe(left) + " and " + describe(right)
                    : describe(!left.present() ? left : right);
            return new HemisphereComparison(region, left.label(), right.label(), left.meanHu(), right.meanHu(),
                    Double.NaN, Double.NaN, false, "not compared: " + missing + " absent from the segmentation");
        }
        double l = left.meanHu();
        double r = right.meanHu();
        double difference = l - r;
        double ratio = l > 0 && r > 0 ? Math.min(l, r) / Math.max(l, r) : Double.NaN;
        List<String> reasons = new ArrayList<>(2);
        if (Math.abs(difference) >= DIFFERENCE_LIMIT_HU) {
            reasons.add(String.format(Locale.ROOT, "left − right = %.2f HU (|difference| ≥ %.0f HU)", difference, DIFFERENCE_LIMIT_HU));
        }
        if (ratio <= RATIO_LIMIT) {
            reasons.add(String.format(Locale.ROOT, "smaller/larger mean = %.3f (≤ %.2f)", ratio, RATIO_LIMIT));
        }
        boolean flagged = !reasons.isEmpty();
        String reason;
        if (flagged) {
            reason = String.join("; ", reasons);
        } else {
            reason = String.format(Locale.ROOT, "left − right = %.2f HU, smaller/larger mean = %s: within limits",
                    difference, Double.isNaN(ratio) ? "undefined (a mean ≤ 0 HU)" : String.format(Locale.ROOT, "%.3f", ratio));
        }
        return new HemisphereComparison(region, left.label(), right.label(), l, r, difference, ratio, flagged, reason);
    }

    private static String describe(RegionMeasurement m) {
        return m.name() + " (label " + m.label() + ")";
    }

    /** The measurement of one label 1..20. */
    public RegionMeasurement region(int label) {
        if (label < 1 || label > AspectsRegion.COUNT) {
            throw new IllegalArgumentException("ASPECTS labels are 1..20, got " + label);
        }
        return regions.get(label - 1);
    }

    /** The pairs flagged for a reader's attention. */
    public List<HemisphereComparison> flagged() {
        return pairs.stream().filter(HemisphereComparison::flagged).toList();
    }
}
