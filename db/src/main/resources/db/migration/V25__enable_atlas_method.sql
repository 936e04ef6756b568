-- The atlas method (the atlas's labels carried onto each scan by its registration) is a prediction
-- like a plane's: its per-class metrics are rows of class_metrics with plane 'ATLAS', and a job may
-- fuse it as a fourth voter, recorded as the rule's name with '+atlas'.
ALTER TABLE class_metrics DROP CONSTRAINT class_metrics_plane_check;
ALTER TABLE class_metrics ADD CONSTRAINT class_metrics_plane_check
    CHECK (plane IN ('AXIAL', 'CORONAL', 'SAGITTAL', 'ATLAS', 'FUSED'));

ALTER TABLE results DROP CONSTRAINT results_fusion_method_check;
ALTER TABLE results ADD CONSTRAINT results_fusion_method_check
    CHECK (fusion_method IN ('majority', 'confidence', 'majority+atlas', 'confidence+atlas'));

COMMENT ON TABLE class_metrics IS
    'Confusion counts and derived metrics per class, prediction (a plane, the atlas method, or FUSED), scan and job.';
COMMENT ON COLUMN results.fusion_method IS
    'Rule that combined the predictions: majority or confidence over the three planes; with +atlas the atlas method voted as a fourth member.';
