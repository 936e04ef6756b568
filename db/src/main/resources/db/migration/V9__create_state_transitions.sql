-- Every state change of a job, job scan or task, with when, by whom and why.
CREATE TABLE state_transitions (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    entity_type  text        NOT NULL CHECK (entity_type IN ('JOB', 'JOB_SCAN', 'TASK')),
    entity_id    uuid        NOT NULL,
    from_state   text,
    to_state     text        NOT NULL,
    -- why: clock_timestamp, not now(): several transitions in one transaction keep their order in time
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor        text        NOT NULL,
    attempt      integer,
    reason       text
);

CREATE INDEX state_transitions_entity_idx ON state_transitions (entity_type, entity_id, id);

COMMENT ON TABLE state_transitions IS 'Append-only audit log of state changes; UPDATE, DELETE and TRUNCATE are refused.';
COMMENT ON COLUMN state_transitions.from_state IS 'State before; NULL when the entity was created.';
COMMENT ON COLUMN state_transitions.actor IS 'Who made the change: a worker id, a service name or a user.';
COMMENT ON COLUMN state_transitions.attempt IS 'Task attempt the change belongs to; NULL for jobs and job scans.';
