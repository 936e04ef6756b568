-- A model set is what a job runs: one trained network per plane plus the fusion rule.
CREATE TABLE model_sets (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text        NOT NULL UNIQUE,
    fusion_rule   text        NOT NULL DEFAULT 'MAJORITY_2_OF_3',
    code_version  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE model_sets IS 'Deployable sets of per-plane models; a segment or evaluate job names one.';
COMMENT ON COLUMN model_sets.fusion_rule IS 'How per-plane predictions are combined into one label per voxel.';
COMMENT ON COLUMN model_sets.code_version IS 'Version (git revision) of the code that assembled the set.';
