-- A task is one unit of worker effort (preprocess a scan, run one plane, fuse, train). Workers hold
-- a lease that their heartbeat extends; a sweeper requeues tasks whose lease ran out.
CREATE TABLE tasks (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid        NOT NULL,
    job_id        uuid        NOT NULL,
    scan_id       uuid,
    kind          text        NOT NULL CHECK (kind IN ('PREPROCESS', 'PLANE', 'FUSION', 'TRAIN')),
    plane         text        CHECK (plane IN ('AXIAL', 'CORONAL', 'SAGITTAL')),
    state         text        NOT NULL DEFAULT 'PENDING'
                              CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    attempt       integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    max_attempts  integer     NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    worker        text,
    lease_until   timestamptz,
    heartbeat_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz,
    error         text,
    device        text,
    timings       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    version       bigint      NOT NULL DEFAULT 0,
    -- why: a RUNNING task always has an owner and a lease, so the sweeper can judge it
    CHECK (state <> 'RUNNING' OR (worker IS NOT NULL AND lease_until IS NOT NULL)),
    CHECK ((kind = 'PLANE') = (plane IS NOT NULL) OR kind = 'TRAIN'),
    CHECK (scan_id IS NOT NULL OR kind = 'TRAIN'),
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id),
    FOREIGN KEY (tenant_id, scan_id) REFERENCES scans (tenant_id, id)
);

-- why: one task per (job, scan, kind, plane) makes task creation idempotent under redelivery;
-- scan and plane are NULL for some kinds and NULLs never collide in a plain UNIQUE (PostgreSQL 14
-- has no NULLS NOT DISTINCT), hence the expression index
CREATE UNIQUE INDEX tasks_identity_idx ON tasks (
    job_id,
    coalesce(scan_id, '00000000-0000-0000-0000-000000000000'::uuid),
    kind,
    coalesce(plane, '')
);
CREATE INDEX tasks_pending_idx ON tasks (created_at) WHERE state = 'PENDING';
CREATE INDEX tasks_running_lease_idx ON tasks (lease_until) WHERE state = 'RUNNING';

COMMENT ON TABLE tasks IS 'Units of worker effort with lease, heartbeat and attempt counter.';
COMMENT ON COLUMN tasks.scan_id IS 'Scan the task works on; NULL for job-wide tasks (training).';
COMMENT ON COLUMN tasks.plane IS 'Slicing plane for PLANE and per-plane TRAIN tasks; NULL otherwise.';
COMMENT ON COLUMN tasks.attempt IS 'Number of the current or next run, from 1; raised each time the task is requeued.';
COMMENT ON COLUMN tasks.max_attempts IS 'Runs allowed before an expired lease fails the task.';
COMMENT ON COLUMN tasks.worker IS 'Identity of the worker holding (or that last held) the lease.';
COMMENT ON COLUMN tasks.lease_until IS 'Instant the lease expires unless a heartbeat extends it.';
COMMENT ON COLUMN tasks.heartbeat_at IS 'Instant of the last heartbeat.';
COMMENT ON COLUMN tasks.device IS 'Where it ran, e.g. cpu or cuda:0.';
COMMENT ON COLUMN tasks.timings IS 'Per-phase wall-clock durations, JSON object of seconds (e.g. {"read_s": 0.4, "infer_s": 12.1}).';
COMMENT ON COLUMN tasks.version IS 'Incremented by every update; writers compare-and-set on it.';
