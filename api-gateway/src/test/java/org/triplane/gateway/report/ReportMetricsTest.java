package org.triplane.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.MetricPlane;
import org.triplane.imaging.metrics.ConfusionMatrix;

/**
 * The report's metric table from the stored rows: per class the mean over the scans where a metric
 * exists, and a dash where it exists in none — the FP/FN ratio with FN = 0, IoU and Dice of a class
 * in neither volume — as the command line shows them.
 */
class ReportMetricsTest {
    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID JOB = UUID.randomUUID();
    private static final UUID SET = UUID.randomUUID();
    private static final UUID SCAN_A = UUID.randomUUID();
    private static final UUID SCAN_B = UUID.randomUUID();

    private static ClassMetric row(UUID scan, int label, long tp, long fp, long fn) {
        return ClassMetric.fromCounts(new ClassMetric.Key(TENANT, JOB, scan, SET, MetricPlane.FUSED, label), tp, fp, fn,
                100 - tp - fp - fn, 0.5);
    }

    private static ReportView.MetricLine line(List<ClassMetric> rows, int label) {
        ReportView.EvaluationView view = ReportPage.evaluation(ReportModel.evaluation(rows, List.of()));
        return view.rows().stream().filter(l -> l.label() == label).findFirst().orElseThrow();
    }

    @Test
    void eachMetricIsMeanedOverTheScansWhereItExists() {
        List<ClassMetric> rows = new ArrayList<>();
        rows.add(row(SCAN_A, 5, 3, 1, 0)); // IoU 3/4, Dice 6/7, FP/FN does not exist, (FP + FN) / N 1/100
        rows.add(row(SCAN_B, 5, 2, 2, 1)); // IoU 2/5, Dice 4/7, FP/FN 2, (FP + FN) / N 3/100

        ReportView.MetricLine five = line(rows, 5);

        // IoU (3/4 + 2/5) / 2 = 0.575; Dice (6/7 + 4/7) / 2 = 0.7143; FP/FN only scan B's: 2
        // (FP + FN) / N (0.01 + 0.03) / 2 = 0.02; reference ml (3 + 3) × 0.5 / 2 = 1.5; predicted (4 + 4) × 0.5 / 2 = 2
        assertThat(five.fused()).containsExactly("0.575", "0.714", "2.000", "0.02000", "1.50", "2.00");
    }

    @Test
    void aMetricThatExistsInNoScanIsADash() {
        List<ClassMetric> rows = new ArrayList<>();
        rows.add(row(SCAN_A, 7, 0, 0, 0)); // in neither volume: no IoU, Dice or ratio
        rows.add(row(SCAN_B, 7, 0, 0, 0));
        rows.add(row(SCAN_A, 8, 4, 2, 0)); // over-segmented only: FN = 0, no ratio, IoU 4/6
        rows.add(row(SCAN_B, 8, 5, 0, 0)); // exact: FN = 0, no ratio, IoU 1

        assertThat(line(rows, 7).fused()).containsExactly("—", "—", "—", "0.00000", "0.00", "0.00");
        List<String> eight = line(rows, 8).fused();
        assertThat(eight.get(0)).isEqualTo("0.833"); // (4/6 + 1) / 2
        assertThat(eight.get(2)).as("FP/FN with FN = 0 in every scan").isEqualTo("—");
        assertThat(line(rows, 8).planeIou()).as("no plane has rows").containsOnly("—");
    }

    @Test
    void theFusedConfusionMatricesAreSummedOverTheScans() {
        ConfusionMatrix a = new ConfusionMatrix().add(new byte[] {0, 1, 1}, new byte[] {0, 1, 11});
        ConfusionMatrix b = new ConfusionMatrix().add(new byte[] {1, 11}, new byte[] {11, 11});

        long[][] sum = ReportModel.evaluation(List.of(row(SCAN_A, 1, 1, 0, 1)), List.of(a, b)).confusion();

        assertThat(sum[0][0]).isEqualTo(1);
        assertThat(sum[1][1]).isEqualTo(1);
        assertThat(sum[1][11]).isEqualTo(2);
        assertThat(sum[11][11]).isEqualTo(1);
    }
}
