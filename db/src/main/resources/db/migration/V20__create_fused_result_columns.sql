-- What the fusion-worker records with each fused result: the fused labels on both grids, the rule
-- that voted, the region statistics and the evaluation against the reference labels. A result of a
-- finished job is never rewritten; these columns are filled once, with the row.
ALTER TABLE results
    ADD COLUMN rotated_segmentation_key text,
    ADD COLUMN fusion_method            text CHECK (fusion_method IN ('majority', 'confidence')),
    ADD COLUMN region_statistics        jsonb,
    ADD COLUMN evaluation               jsonb;

COMMENT ON COLUMN results.rotated_segmentation_key IS
    'Object-store key of the fused segmentation on the scan''s rotated (preprocessed) grid, uint8 labels 0..20.';
COMMENT ON COLUMN results.fusion_method IS 'Rule that combined the three planes: majority (2 of 3) or confidence (weighted).';
COMMENT ON COLUMN results.region_statistics IS
    'Per predicted region on the acquired grid: voxels, volume (ml), mean and median HU of the original CT; per left/right pair the HU difference (left - right, HU), smaller/larger mean ratio and flag with its reason.';
COMMENT ON COLUMN results.evaluation IS
    'Against the reference labels (rotated grid), per prediction (fused, axial, coronal, sagittal): mean IoU and Dice over regions present, FP/FN ratio mean and variance, mean misclassification, left/right confusion rate, 21x21 confusion matrix (voxels); NULL when the scan has no reference labels.';
COMMENT ON COLUMN results.plane_keys IS
    'Object-store keys of the per-plane predictions, JSON object plane -> key (or plane -> {labels, confidence} keys).';
