package org.triplane.db.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.imaging.plane.Plane;

/**
 * The cross-validation of a k-fold TRAIN job: per plane, each fold's model set and best validation
 * mean IoU, and their mean and sample standard deviation over the folds that have one.
 *
 * @param foldCount k
 * @param planes    one entry per plane, in plane order
 */
public record CrossValidation(int foldCount, List<PlaneFolds> planes) {

    public CrossValidation {
        planes = List.copyOf(planes);
    }

    /**
     * @param plane the plane
     * @param folds one entry per fold 1..k, in fold order
     * @param mean  mean of the folds' best validation mean IoU, or {@code null} when no fold has one yet
     * @param sd    sample standard deviation (n − 1) of the same, or {@code null} with fewer than two
     */
    public record PlaneFolds(Plane plane, List<Fold> folds, Double mean, Double sd) {
        public PlaneFolds {
            folds = List.copyOf(folds);
        }
    }

    /**
     * @param fold                  the fold, 1..k
     * @param modelSetId            its model set
     * @param modelId               its model of the plane, or {@code null} while it trains
     * @param bestValidationMeanIoU the model's best validation mean IoU, or {@code null}
     */
    public record Fold(int fold, UUID modelSetId, UUID modelId, Double bestValidationMeanIoU) {
    }

    /**
     * @param sets   a TRAIN job's model sets (see {@link ModelSets#ofTrainingJob})
     * @param models the models of its fold sets (see {@link ModelSets#foldModelsOf})
     * @return the summary, empty when the job is not k-fold (none of its sets has a fold)
     */
    public static Optional<CrossValidation> of(List<ModelSet> sets, List<FoldModel> models) {
        List<ModelSet> folds = sets.stream().filter(ModelSet::isFold)
                .sorted(java.util.Comparator.comparing(ModelSet::fold)).toList();
        if (folds.isEmpty()) {
            return Optional.empty();
        }
        List<PlaneFolds> planes = new ArrayList<>();
        for (Plane plane : Plane.values()) {
            List<Fold> entries = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (ModelSet set : folds) {
                Optional<FoldModel> m = models.stream()
                        .filter(x -> x.plane() == plane && x.modelSetId().equals(set.id())).findFirst();
                Double iou = m.map(FoldModel::bestValidationMeanIoU).orElse(null);
                entries.add(new Fold(set.fold(), set.id(), m.map(FoldModel::modelId).orElse(null), iou));
                if (iou != null) {
                    values.add(iou);
                }
            }
            planes.add(new PlaneFolds(plane, entries, mean(values), sampleSd(values)));
        }
        return Optional.of(new CrossValidation(folds.get(0).foldCount(), planes));
    }

    private static Double mean(List<Double> v) {
        return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }

    private static Double sampleSd(List<Double> v) {
        if (v.size() < 2) {
            return null;
        }
        double m = mean(v);
        double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (v.size() - 1));
    }
}
