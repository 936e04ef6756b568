-- Where the outputs of one scan of one job were written.
CREATE TABLE results (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid        NOT NULL,
    job_id            uuid        NOT NULL,
    scan_id           uuid        NOT NULL,
    model_set_id      uuid        REFERENCES model_sets (id),
    segmentation_key  text        NOT NULL,
    report_key        text,
    plane_keys        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- why: redelivered fusion events upsert onto this key instead of adding a second result
    UNIQUE (job_id, scan_id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id),
    FOREIGN KEY (tenant_id, scan_id) REFERENCES scans (tenant_id, id)
);

COMMENT ON TABLE results IS 'Output object keys per (job, scan).';
COMMENT ON COLUMN results.segmentation_key IS 'Object-store key of the fused segmentation on the scan''s own grid.';
COMMENT ON COLUMN results.report_key IS 'Object-store key of the human-readable report.';
COMMENT ON COLUMN results.plane_keys IS 'Object-store keys of the per-plane predictions, JSON object plane -> key.';
