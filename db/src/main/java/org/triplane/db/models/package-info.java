/**
 * The shared model catalogue: model sets and their models ({@link org.triplane.db.models.ModelSets},
 * {@link org.triplane.db.models.Models}), the default set and its change log
 * ({@link org.triplane.db.models.DefaultModelSets}), learned fusion weights
 * ({@link org.triplane.db.models.ModelSetFusionWeights}), training epochs
 * ({@link org.triplane.db.models.TrainingEpochs}) and the cross-validation summary of a k-fold
 * training ({@link org.triplane.db.models.CrossValidation}). Not tenant-scoped.
 *
 * <p>Depends on the root package and on {@code results} (the class labels a metric may have).
 */
package org.triplane.db.models;
