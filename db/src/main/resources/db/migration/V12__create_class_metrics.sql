-- Per-class agreement between a prediction and the reference labels, per plane and after fusion.
CREATE TABLE class_metrics (
    tenant_id          uuid             NOT NULL,
    job_id             uuid             NOT NULL,
    scan_id            uuid             NOT NULL,
    model_set_id       uuid             NOT NULL REFERENCES model_sets (id),
    plane              text             NOT NULL CHECK (plane IN ('AXIAL', 'CORONAL', 'SAGITTAL', 'FUSED')),
    class_label        smallint         NOT NULL CHECK (class_label BETWEEN 0 AND 20),
    tp                 bigint           NOT NULL CHECK (tp >= 0),
    fp                 bigint           NOT NULL CHECK (fp >= 0),
    fn                 bigint           NOT NULL CHECK (fn >= 0),
    tn                 bigint           NOT NULL CHECK (tn >= 0),
    iou                double precision,
    dice               double precision,
    misclassification  double precision,
    fp_fn_ratio        double precision,
    gt_ml              double precision NOT NULL CHECK (gt_ml >= 0),
    pred_ml            double precision NOT NULL CHECK (pred_ml >= 0),
    created_at         timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, scan_id, model_set_id, plane, class_label),
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id),
    FOREIGN KEY (tenant_id, scan_id) REFERENCES scans (tenant_id, id)
);

COMMENT ON TABLE class_metrics IS 'Confusion counts and derived metrics per class, plane (or FUSED), scan and job.';
COMMENT ON COLUMN class_metrics.tp IS 'True-positive voxel count (fp, fn, tn likewise).';
COMMENT ON COLUMN class_metrics.iou IS 'TP / (TP + FP + FN), unitless; NULL when the class is absent from both.';
COMMENT ON COLUMN class_metrics.dice IS '2TP / (2TP + FP + FN), unitless; NULL when the class is absent from both.';
COMMENT ON COLUMN class_metrics.misclassification IS '(FP + FN) / (TP + TN + FP + FN), unitless.';
COMMENT ON COLUMN class_metrics.fp_fn_ratio IS 'FP / FN, unitless; NULL when FN = 0.';
COMMENT ON COLUMN class_metrics.gt_ml IS 'Reference volume of the class, millilitres.';
COMMENT ON COLUMN class_metrics.pred_ml IS 'Predicted volume of the class, millilitres.';
