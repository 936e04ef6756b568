package org.triplane.db.results;

import java.util.List;

/**
 * Two model sets compared on the scans both were evaluated on by finished (SUCCEEDED) jobs.
 *
 * @param scans   the common scans and the job of each set used for each
 * @param metrics per prediction and class, the paired means (a = first set, b = second)
 */
public record ModelSetComparison(List<ComparedScan> scans, List<MetricComparison> metrics) {

    /** Copies the lists. */
    public ModelSetComparison {
        scans = List.copyOf(scans);
        metrics = List.copyOf(metrics);
    }
}
