-- Learned fusion: the weight of each member's vote (the axial, coronal and sagittal networks and the
-- atlas method) per label, fitted on the labelled scans of an evaluate job of the model set and
-- recorded once with the set. One migration holds the whole change: the weights with what they were
-- fitted from and who recorded them when (the row is their audit record: it never changes), and the
-- results of jobs that fuse with them.
CREATE TABLE model_set_fusion_weights (
    model_set_id           uuid               PRIMARY KEY REFERENCES model_sets (id),
    -- why 'Infinity' > ALL: it refuses infinity and NaN (which PostgreSQL orders above every number) at once
    weights                double precision[] NOT NULL
        CHECK (cardinality(weights) = 84 AND array_position(weights, NULL) IS NULL
               AND 0 <= ALL (weights) AND 'Infinity' > ALL (weights)),
    evaluate_job_id        uuid               NOT NULL,
    tenant_id              uuid,
    scan_ids               uuid[]             NOT NULL
        CHECK (cardinality(scan_ids) >= 1 AND array_position(scan_ids, NULL) IS NULL),
    mean_iou               double precision   NOT NULL CHECK (mean_iou BETWEEN 0 AND 1),
    equal_weights_mean_iou double precision   NOT NULL CHECK (equal_weights_mean_iou BETWEEN 0 AND 1),
    member_mean_iou        double precision[] NOT NULL
        CHECK (cardinality(member_mean_iou) = 4 AND array_position(member_mean_iou, NULL) IS NULL
               AND 0 <= ALL (member_mean_iou) AND 1 >= ALL (member_mean_iou)),
    recorded_at            timestamptz        NOT NULL DEFAULT clock_timestamp(),
    recorded_by            text               NOT NULL CHECK (recorded_by <> ''),
    -- why no tenant for shipped weights: their evaluate job ran on the stack that exported the set, and a
    -- NULL tenant leaves this key unchecked
    FOREIGN KEY (tenant_id, evaluate_job_id) REFERENCES jobs (tenant_id, id)
);

COMMENT ON TABLE model_set_fusion_weights IS
    'Fitted weights of the learned fusion (job parameter fusion = learned), one row per model set; recorded once, never changed: UPDATE, DELETE and TRUNCATE are refused.';
COMMENT ON COLUMN model_set_fusion_weights.weights IS
    'Weight of each member''s vote per label, member-major: index m * 21 + label, members axial, coronal, sagittal, atlas (0..3), labels 0..20; finite, >= 0.';
COMMENT ON COLUMN model_set_fusion_weights.evaluate_job_id IS
    'The EVALUATE job of this model set whose stored predictions and reference labels the weights were fitted on.';
COMMENT ON COLUMN model_set_fusion_weights.tenant_id IS
    'The tenant that owns the evaluate job and recorded the weights through the API; NULL for weights shipped in a model set folder (fitted on another stack).';
COMMENT ON COLUMN model_set_fusion_weights.scan_ids IS 'The labelled scans of the evaluate job the weights were fitted on.';
COMMENT ON COLUMN model_set_fusion_weights.mean_iou IS
    'Mean IoU over the regions 1..20 of the fitted vote on those scans (per region TP / (TP + FP + FN) pooled over the scans).';
COMMENT ON COLUMN model_set_fusion_weights.equal_weights_mean_iou IS 'The same with every weight 1 (the confidence vote of the four members).';
COMMENT ON COLUMN model_set_fusion_weights.member_mean_iou IS
    'Each member''s own mean IoU on those scans, in member order axial, coronal, sagittal, atlas.';
COMMENT ON COLUMN model_set_fusion_weights.recorded_at IS 'When the weights were recorded, database clock.';
COMMENT ON COLUMN model_set_fusion_weights.recorded_by IS
    'Who recorded them: the API key (api-key:<prefix>), or the gateway instance that registered a shipped set.';

CREATE FUNCTION refuse_fusion_weights_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'model_set_fusion_weights are recorded once and never changed: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER model_set_fusion_weights_no_update_delete
    BEFORE UPDATE OR DELETE ON model_set_fusion_weights
    FOR EACH ROW EXECUTE FUNCTION refuse_fusion_weights_change();

CREATE TRIGGER model_set_fusion_weights_no_truncate
    BEFORE TRUNCATE ON model_set_fusion_weights
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_fusion_weights_change();

ALTER TABLE results DROP CONSTRAINT results_fusion_method_check;
ALTER TABLE results ADD CONSTRAINT results_fusion_method_check
    CHECK (fusion_method IN ('majority', 'confidence', 'majority+atlas', 'confidence+atlas', 'learned'));

COMMENT ON COLUMN results.fusion_method IS
    'Rule that combined the predictions: majority or confidence over the three planes; with +atlas the atlas method voted as a fourth member; learned: the model set''s fitted weights over the planes and the atlas method.';

-- why the app role writes: the gateway records weights in the requesting tenant's transaction, where it
-- also checks the evaluate job; like model_sets, the table is a catalogue every tenant reads
GRANT SELECT, INSERT ON model_set_fusion_weights TO triplane_app, triplane_worker;
