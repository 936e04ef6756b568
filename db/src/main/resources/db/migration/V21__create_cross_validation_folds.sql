-- k-fold cross-validation by scan: a TRAIN job with the parameter "folds" = k trains k model sets,
-- one per fold, each validated on its fold's scans and trained on the others. A fold is numbered
-- 1..k wherever it is stored or shown.
ALTER TABLE tasks
    ADD COLUMN fold integer CHECK (fold >= 1),
    -- why: only training is split into folds; every other task has no fold
    ADD CONSTRAINT tasks_fold_only_train_check CHECK (fold IS NULL OR kind = 'TRAIN');

-- why: a k-fold job has one TRAIN task per (plane, fold), so the identity that keeps task creation
-- idempotent under redelivery now includes the fold (0 standing for "no fold", as NULLs never collide)
DROP INDEX tasks_identity_idx;
CREATE UNIQUE INDEX tasks_identity_idx ON tasks (
    job_id,
    coalesce(scan_id, '00000000-0000-0000-0000-000000000000'::uuid),
    kind,
    coalesce(plane, ''),
    coalesce(fold, 0)
);

COMMENT ON COLUMN tasks.fold IS
    'Cross-validation fold 1..k of a TRAIN task of a k-fold job (parameter folds); NULL for every other task.';

ALTER TABLE model_sets
    ADD COLUMN training_job_id uuid REFERENCES jobs (id),
    ADD COLUMN fold            integer,
    ADD COLUMN fold_count      integer,
    ADD CONSTRAINT model_sets_fold_check CHECK (
        (fold IS NULL AND fold_count IS NULL)
        OR (fold IS NOT NULL AND fold_count IS NOT NULL AND fold_count >= 2 AND fold BETWEEN 1 AND fold_count)),
    -- why: a TRAIN job produces at most one set per fold; a redelivered start finds the set it made
    ADD CONSTRAINT model_sets_training_job_fold_key UNIQUE (training_job_id, fold);

CREATE INDEX model_sets_training_job_idx ON model_sets (training_job_id) WHERE training_job_id IS NOT NULL;

COMMENT ON COLUMN model_sets.training_job_id IS
    'The TRAIN job that produced the set; NULL for sets registered otherwise (and for sets trained before folds existed).';
COMMENT ON COLUMN model_sets.fold IS
    'Cross-validation fold 1..fold_count the set was trained for (validated on that fold''s scans); NULL unless k-fold.';
COMMENT ON COLUMN model_sets.fold_count IS 'Number of folds k of the k-fold TRAIN job that produced the set; NULL unless k-fold.';
