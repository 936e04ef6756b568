-- The history of a training task, one row per finished epoch, written as it happens so that a run
-- in progress can be followed and a finished one explained.
CREATE TABLE training_epochs (
    task_id                   uuid             NOT NULL REFERENCES tasks (id),
    tenant_id                 uuid             NOT NULL,
    attempt                   integer          NOT NULL CHECK (attempt >= 1),
    epoch                     integer          NOT NULL CHECK (epoch >= 1),
    train_loss                double precision NOT NULL,
    train_cross_entropy       double precision,
    train_mse                 double precision,
    validation_loss           double precision,
    validation_cross_entropy  double precision,
    validation_mse            double precision,
    validation_mean_iou       double precision,
    validation_iou            double precision[] CHECK (validation_iou IS NULL OR cardinality(validation_iou) = 21),
    seconds                   double precision NOT NULL CHECK (seconds >= 0),
    recorded_at               timestamptz      NOT NULL DEFAULT now(),
    -- why: a task resumed from its last checkpoint may finish an epoch a killed run already
    -- recorded; the later run's numbers replace it instead of adding a second row
    PRIMARY KEY (task_id, epoch)
);

COMMENT ON TABLE training_epochs IS 'Per-epoch losses and validation metrics of TRAIN tasks.';
COMMENT ON COLUMN training_epochs.attempt IS 'Task attempt that produced the row (a resumed run has a higher one).';
COMMENT ON COLUMN training_epochs.train_loss IS 'Mean Tversky loss (1 - Tversky index) over the epoch''s training batches.';
COMMENT ON COLUMN training_epochs.validation_iou IS 'IoU per label 0..20 on the validation scans (NaN where a label is absent).';
COMMENT ON COLUMN training_epochs.seconds IS 'Wall-clock duration of the epoch, seconds.';

GRANT SELECT                 ON training_epochs TO triplane_app;
GRANT SELECT, INSERT, UPDATE ON training_epochs TO triplane_worker;

ALTER TABLE training_epochs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON training_epochs
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
