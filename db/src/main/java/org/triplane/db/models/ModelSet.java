package org.triplane.db.models;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code model_sets}.
 *
 * @param id          model set id
 * @param name        unique name
 * @param fusionRule  how the per-plane predictions are combined, e.g. {@code MAJORITY_2_OF_3}
 * @param codeVersion version of the code that assembled the set
 * @param createdAt   instant of creation
 * @param trainingJobId the TRAIN job that produced the set, or {@code null} (registered otherwise, or trained
 *                      before sets recorded their job)
 * @param fold          the cross-validation fold 1..{@code foldCount} the set was trained for, or {@code null}
 * @param foldCount     k of the k-fold TRAIN job that produced it, or {@code null}; set exactly when {@code fold} is
 * @param isDefault     whether it is the default model set (run by segment and evaluate jobs that name none)
 * @param shippedSha256 SHA-256 of the {@code model-set.json} it was registered from when it shipped with the
 *                      project, or {@code null} for a trained set
 */
public record ModelSet(UUID id, String name, String fusionRule, String codeVersion, Instant createdAt,
                       UUID trainingJobId, Integer fold, Integer foldCount, boolean isDefault, String shippedSha256) {

    /**
     * The names of a k-fold TRAIN job's sets, fold 1..k in order: {@code <name>-fold<i>of<k>}. Why
     * here: the gateway checks these names are free at submission and the preprocess-worker creates
     * the sets under them later, so both must use the one rule.
     */
    public static java.util.List<String> foldSetNames(String name, int k) {
        java.util.List<String> names = new java.util.ArrayList<>(k);
        for (int i = 1; i <= k; i++) {
            names.add(name + "-fold" + i + "of" + k);
        }
        return names;
    }

    /** Whether the set is one fold of a k-fold TRAIN job. */
    public boolean isFold() {
        return fold != null;
    }
}
