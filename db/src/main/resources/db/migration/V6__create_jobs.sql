-- A job is one request by a tenant: segment scans, evaluate a model set on labelled scans, or train.
CREATE TABLE jobs (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid        NOT NULL REFERENCES tenants (id),
    kind             text        NOT NULL CHECK (kind IN ('SEGMENT', 'EVALUATE', 'TRAIN')),
    state            text        NOT NULL DEFAULT 'SUBMITTED'
                                 CHECK (state IN ('SUBMITTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    requested_by     text        NOT NULL,
    idempotency_key  text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    parameters       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    model_set_id     uuid        REFERENCES model_sets (id),
    code_version     text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    error            text,
    version          bigint      NOT NULL DEFAULT 0,
    -- why: a client retrying a request with the same key must get the same job, never a second one
    UNIQUE (tenant_id, idempotency_key),
    UNIQUE (tenant_id, id)
);

CREATE INDEX jobs_tenant_created_idx ON jobs (tenant_id, created_at);
CREATE INDEX jobs_state_idx ON jobs (state) WHERE state IN ('SUBMITTED', 'RUNNING');

COMMENT ON TABLE jobs IS 'Client requests and their lifecycle; version is the optimistic-locking counter.';
COMMENT ON COLUMN jobs.requested_by IS 'Who submitted: API key prefix or user name.';
COMMENT ON COLUMN jobs.idempotency_key IS 'Client-chosen key; unique per tenant.';
COMMENT ON COLUMN jobs.parameters IS 'Job options as submitted (JSON object).';
COMMENT ON COLUMN jobs.code_version IS 'Version (git revision) of the code that accepted the job.';
COMMENT ON COLUMN jobs.version IS 'Incremented by every update; writers compare-and-set on it.';
