package org.triplane.fusion.service;

import java.util.LinkedHashMap;
import java.util.Map;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.fusion.AcquiredGridMapper;
import org.triplane.imaging.fusion.FusedLabels;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.PlaneVote;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.mask.IntracranialMask;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.metrics.RegionStatistics;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.volume.Volume;

/**
 * The computation of one fusion task, free of storage and database: vote the three plane
 * predictions (and the atlas method's when the job asks for it as a fourth voter or for the learned
 * vote) on the rotated grid, carry the fused labels onto the CT's acquired grid through the scan's
 * transform, clear both outside the scan's intracranial mask of their grid ({@link IntracranialMask#clearOutside}),
 * measure each predicted region in the original CT there, and, when reference labels exist, count
 * the confusion of the fused, of each single-plane and of the atlas method's prediction against
 * them on the rotated grid (where the reference was drawn). Volumes are x fastest, LPS mm.
 */
public final class ScanFusion {
    private final PlaneVote vote;
    private final AcquiredGridMapper mapper;
    private final SegmentationEvaluator evaluator;

    /** @param threads worker threads (≥ 1) */
    public ScanFusion(int threads) {
        this.vote = new PlaneVote(threads);
        this.mapper = new AcquiredGridMapper(threads);
        this.evaluator = new SegmentationEvaluator(threads);
    }

    /**
     * @param axial     axial prediction on the rotated grid
     * @param coronal   coronal prediction on the same grid
     * @param sagittal  sagittal prediction on the same grid
     * @param ct        the CT as acquired, HU (any voxel type)
     * @param transform the scan's transform T (output→input, LPS mm): rotated(p) = acquired(T(p))
     * @param reference reference labels on the rotated grid (uint8 0..20), or {@code null}
     * @param atlas     the atlas method's labels on the rotated grid (uint8 0..20)
     * @param masks     the scan's intracranial mask on the rotated and on the acquired grid (uint8 0/1)
     */
    public record Inputs(PlanePrediction axial, PlanePrediction coronal, PlanePrediction sagittal, Volume ct,
                         AffineTransform transform, Volume reference, Volume atlas, Masks masks) {
    }

    /**
     * @param rotated  the intracranial mask on the rotated grid (the predictions' grid), uint8 0/1
     * @param acquired the intracranial mask on the CT's acquired grid, uint8 0/1
     */
    public record Masks(Volume rotated, Volume acquired) {
    }

    /**
     * @param fused       fused labels (and support) on the rotated grid
     * @param acquired    fused labels on the CT's acquired grid (uint8 0..20)
     * @param regions     per-region volume and HU of the original CT inside {@code acquired}
     * @param confusions  prediction name ({@code fused}, {@code axial}, {@code coronal}, {@code sagittal}, {@code atlas})
     *                    → confusion against the reference; empty without reference labels
     * @param seconds     phase name → seconds ({@code fuse_s}, {@code map_s}, {@code statistics_s}, {@code metrics_s})
     */
    public record Outputs(FusedLabels fused, Volume acquired, RegionStatistics regions,
                          Map<String, ConfusionMatrix> confusions, Map<String, Double> seconds) {
    }

    /**
     * @param rule the vote the job asks for
     * @throws IllegalArgumentException when grids differ, a label is outside 0..20 or T cannot be inverted
     */
    Outputs run(FusionRule rule, Inputs in) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        FusedLabels fused = rule.vote(vote, in.axial(), in.coronal(), in.sagittal(), in.atlas());
        IntracranialMask.clearOutside(in.masks().rotated(), fused.labels());
        long t1 = System.nanoTime();
        Volume acquired = mapper.toAcquired(fused.labels(), in.transform(), in.ct().geometry());
        // why: nearest-neighbour mapping can carry a label across the mask's edge on the other grid
        IntracranialMask.clearOutside(in.masks().acquired(), acquired);
        long t2 = System.nanoTime();
        RegionStatistics regions = RegionStatistics.of(in.ct(), acquired);
        long t3 = System.nanoTime();
        Map<String, ConfusionMatrix> confusions = new LinkedHashMap<>();
        if (in.reference() != null) {
            confusions.put(EvaluationDocument.FUSED, evaluator.confusion(in.reference(), fused.labels()));
            for (PlanePrediction p : new PlanePrediction[] {in.axial(), in.coronal(), in.sagittal()}) {
                confusions.put(p.plane().wireName(), evaluator.confusion(in.reference(), p.labels()));
            }
            confusions.put(ObjectKeys.ATLAS, evaluator.confusion(in.reference(), in.atlas()));
        }
        long t4 = System.nanoTime();
        seconds.put("fuse_s", (t1 - t0) / 1e9);
        seconds.put("map_s", (t2 - t1) / 1e9);
        seconds.put("statistics_s", (t3 - t2) / 1e9);
        seconds.put("metrics_s", (t4 - t3) / 1e9);
        return new Outputs(fused, acquired, regions, confusions, seconds);
    }
}
