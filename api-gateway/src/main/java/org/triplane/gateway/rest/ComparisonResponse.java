package org.triplane.gateway.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.triplane.db.jobs.Job;
import org.triplane.db.models.ModelSet;
import org.triplane.db.results.ComparedScan;
import org.triplane.db.results.MetricComparison;
import org.triplane.db.results.MetricPlane;
import org.triplane.imaging.labels.LabelPalette;
import org.triplane.gateway.service.CompareService;

/**
 * Two runs (jobs, or model sets through finished jobs) on the same scans. For each prediction and
 * class, each metric's means in a and b over the scans where both have it, and {@code delta = b − a};
 * per prediction a summary of IoU over the regions 1..20. Ratios unitless, volumes ml.
 *
 * @param a           the first run
 * @param b           the second run
 * @param commonScans the scans both ran on (for model sets: with the job of each set used)
 * @param summary     per prediction, the mean over regions 1..20 of the paired IoU means
 * @param metrics     per prediction (axial, coronal, sagittal, atlas, fused) and class 0..20
 */
public record ComparisonResponse(Run a, Run b, List<CommonScan> commonScans, List<PlaneSummary> summary,
                                 List<ClassDelta> metrics) {

    /**
     * @param jobId      the job (job comparisons), or {@code null}
     * @param modelSetId the model set
     * @param name       the model set's name (model-set comparisons), or {@code null}
     * @param state      the job's state (job comparisons), or {@code null}
     * @param finishedAt the job's end (job comparisons), or {@code null}
     */
    public record Run(UUID jobId, UUID modelSetId, String name, String state, Instant finishedAt) {
    }

    /** @param scanId the scan @param jobA job of run a @param jobB job of run b */
    public record CommonScan(UUID scanId, UUID jobA, UUID jobB) {
    }

    /** @param plane prediction @param meanIoUA in a @param meanIoUB in b @param delta b − a @param regions regions averaged */
    public record PlaneSummary(String plane, Double meanIoUA, Double meanIoUB, Double delta, int regions) {
    }

    /** @param a mean in a @param b mean in b @param delta b − a @param scans scans both have it on */
    public record Means(Double a, Double b, Double delta, int scans) {
        static Means of(MetricComparison.Means m) {
            return new Means(m.a(), m.b(), m.delta(), m.pairs());
        }
    }

    /**
     * @param plane prediction @param classLabel 0..20 @param region name @param scans scans both have the row for
     * @param iou IoU @param dice Dice @param fpFnRatio FP/FN @param misclassification (FP+FN)/N @param predictedMl predicted volume, ml
     */
    public record ClassDelta(String plane, int classLabel, String region, int scans, Means iou, Means dice, Means fpFnRatio,
                             Means misclassification, Means predictedMl) {
    }

    static ComparisonResponse of(CompareService.JobComparison c) {
        List<CommonScan> scans = c.commonScans().stream().map(s -> new CommonScan(s, c.a().id(), c.b().id())).toList();
        return new ComparisonResponse(run(c.a()), run(c.b()), scans, summary(c.metrics()), deltas(c.metrics()));
    }

    static ComparisonResponse of(CompareService.SetComparison c) {
        List<CommonScan> scans = c.comparison().scans().stream()
                .map((ComparedScan s) -> new CommonScan(s.scanId(), s.jobA(), s.jobB())).toList();
        return new ComparisonResponse(run(c.a()), run(c.b()), scans, summary(c.comparison().metrics()),
                deltas(c.comparison().metrics()));
    }

    private static Run run(Job j) {
        return new Run(j.id(), j.modelSetId(), null, j.state().name(), j.finishedAt());
    }

    private static Run run(ModelSet s) {
        return new Run(null, s.id(), s.name(), null, null);
    }

    private static List<ClassDelta> deltas(List<MetricComparison> metrics) {
        return metrics.stream().map(m -> new ClassDelta(m.plane().name(), m.classLabel(), LabelPalette.name(m.classLabel()),
                m.scans(), Means.of(m.iou()), Means.of(m.dice()), Means.of(m.fpFnRatio()), Means.of(m.misclassification()),
                Means.of(m.predictedMl()))).toList();
    }

    private static List<PlaneSummary> summary(List<MetricComparison> metrics) {
        List<PlaneSummary> out = new ArrayList<>();
        for (MetricPlane p : MetricPlane.values()) {
            double sumA = 0;
            double sumB = 0;
            int n = 0;
            for (MetricComparison m : metrics) {
                if (m.plane() == p && m.classLabel() >= 1 && m.iou().a() != null && m.iou().b() != null) {
                    sumA += m.iou().a();
                    sumB += m.iou().b();
                    n++;
                }
            }
            if (n > 0) {
                out.add(new PlaneSummary(p.name(), sumA / n, sumB / n, sumB / n - sumA / n, n));
            }
        }
        return out;
    }
}
