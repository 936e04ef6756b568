package org.triplane.imaging.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link RegionStatistics} as a result records them, the JSON document the fusion-worker writes
 * and the report reads back. Components are the document's fields, named and ordered as stored
 * rows hold them, so a JSON mapper that maps records by their components (Jackson) writes and
 * reads it with no annotations; the imaging core stays free of a JSON library. Numbers keep their
 * units in their names; a value that does not exist (the mean HU of an absent region, the
 * difference or ratio of a pair with a side absent, the ratio of means at or below 0 HU) is
 * {@code null}, since JSON has no NaN.
 *
 * @param grid              the grid measured on: always {@link #ACQUIRED_GRID}, the scan as acquired
 * @param voxelMl           volume of one voxel of that grid, ml
 * @param differenceLimitHu {@link RegionStatistics#DIFFERENCE_LIMIT_HU} when measured
 * @param ratioLimit        {@link RegionStatistics#RATIO_LIMIT} when measured
 * @param regions           labels 1..20 in order
 * @param pairs             the ten left/right pairs in order of the left label
 * @param flagged           names of the flagged pairs' regions, e.g. {@code M4}
 */
public record RegionStatisticsDocument(String grid, double voxelMl, double differenceLimitHu, double ratioLimit,
                                       List<Region> regions, List<Pair> pairs, List<String> flagged) {

    /** The grid region statistics are measured on: the CT as acquired, whose HU no interpolation touched. */
    public static final String ACQUIRED_GRID = "acquired";

    /** A field missing from a stored document reads as the acquired grid or an empty list. */
    public RegionStatisticsDocument {
        grid = grid == null ? ACQUIRED_GRID : grid;
        regions = regions == null ? List.of() : List.copyOf(regions);
        pairs = pairs == null ? List.of() : List.copyOf(pairs);
        flagged = flagged == null ? List.of() : List.copyOf(flagged);
    }

    /**
     * @param stats   statistics measured on the acquired grid
     * @param voxelMl volume of one voxel of that grid, ml
     * @return their document
     */
    public static RegionStatisticsDocument of(RegionStatistics stats, double voxelMl) {
        List<Region> regions = new ArrayList<>(stats.regions().size());
        for (RegionMeasurement m : stats.regions()) {
            regions.add(new Region(m.label(), m.name(), m.voxels(), m.volumeMl(), value(m.meanHu()), value(m.medianHu())));
        }
        List<Pair> pairs = new ArrayList<>(stats.pairs().size());
        for (HemisphereComparison h : stats.pairs()) {
            pairs.add(new Pair(h.region(), h.leftLabel(), h.rightLabel(), value(h.leftMeanHu()), value(h.rightMeanHu()),
                    value(h.differenceHu()), value(h.ratio()), h.flagged(), h.reason()));
        }
        return new RegionStatisticsDocument(ACQUIRED_GRID, voxelMl, RegionStatistics.DIFFERENCE_LIMIT_HU,
                RegionStatistics.RATIO_LIMIT, regions, pairs, stats.flagged().stream().map(HemisphereComparison::region).toList());
    }

    /**
     * One region, as {@link RegionMeasurement}.
     *
     * @param label    ASPECTS label 1..20
     * @param name     side and region, e.g. {@code left M4}
     * @param voxels   voxels carrying the label
     * @param volumeMl volume, ml
     * @param meanHu   mean HU inside the region; {@code null} when it is absent
     * @param medianHu median HU inside the region; {@code null} when it is absent
     */
    public record Region(int label, String name, long voxels, double volumeMl, Double meanHu, Double medianHu) {
    }

    /**
     * One left/right pair, as {@link HemisphereComparison}.
     *
     * @param region       region name without side, e.g. {@code M4}
     * @param leftLabel    left label 1..10
     * @param rightLabel   right label 11..20
     * @param leftMeanHu   mean HU of the left region; {@code null} when absent
     * @param rightMeanHu  mean HU of the right region; {@code null} when absent
     * @param differenceHu {@code left − right}, HU; {@code null} when a side is absent
     * @param ratio        smaller mean / larger mean; {@code null} when a side is absent or a mean is ≤ 0 HU
     * @param flagged      beyond a limit, for a reader's attention
     * @param reason       why it is or is not flagged
     */
    public record Pair(String region, int leftLabel, int rightLabel, Double leftMeanHu, Double rightMeanHu,
                       Double differenceHu, Double ratio, boolean flagged, String reason) {
    }

    // why: NaN marks a value that does not exist in the measurements; JSON has no NaN
    private static Double value(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
