-- Which scans a job covers, and how far each has got.
CREATE TABLE job_scans (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid        NOT NULL,
    job_id      uuid        NOT NULL,
    scan_id     uuid        NOT NULL,
    state       text        NOT NULL DEFAULT 'PENDING'
                            CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    error       text,
    version     bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, scan_id),
    -- why: composite keys make a cross-tenant link impossible even for a buggy writer
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id),
    FOREIGN KEY (tenant_id, scan_id) REFERENCES scans (tenant_id, id)
);

CREATE INDEX job_scans_scan_idx ON job_scans (scan_id);

COMMENT ON TABLE job_scans IS 'Scans of a job with a per-scan state; version is the optimistic-locking counter.';
