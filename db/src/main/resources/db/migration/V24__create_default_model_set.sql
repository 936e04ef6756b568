-- A model set that ships with the project (the repository's models/default folder) is registered by
-- the api-gateway at start as the default: the set a segment or evaluate job runs when it names none.
-- One migration holds the whole change (default flag, the job's record of it, and the audit log).
ALTER TABLE model_sets
    ADD COLUMN is_default     boolean NOT NULL DEFAULT false,
    ADD COLUMN shipped_sha256 text CHECK (shipped_sha256 ~ '^[0-9a-f]{64}$'),
    -- why: registration is idempotent across restarts and gateway replicas; the same shipped content is one set
    ADD CONSTRAINT model_sets_shipped_sha256_key UNIQUE (shipped_sha256);

-- why a partial unique index: at most one default at any time, also under concurrent registrations
CREATE UNIQUE INDEX model_sets_one_default_idx ON model_sets (is_default) WHERE is_default;

COMMENT ON COLUMN model_sets.is_default IS
    'True for the one model set a segment or evaluate job runs when it names none; at most one row.';
COMMENT ON COLUMN model_sets.shipped_sha256 IS
    'SHA-256 of the model-set.json of a set registered from a shipped folder (which pins each weights file''s SHA-256); NULL for trained sets.';

ALTER TABLE jobs
    ADD COLUMN model_set_default boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT jobs_model_set_default_check CHECK (NOT model_set_default OR model_set_id IS NOT NULL);

COMMENT ON COLUMN jobs.model_set_default IS
    'True when the job named no model set and runs model_set_id because it was the default at submission.';

-- Every change of which set is the default, with when, by whom, the shipped checksum and code version.
CREATE TABLE model_set_events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_set_id  uuid        NOT NULL REFERENCES model_sets (id),
    event         text        NOT NULL CHECK (event IN ('SHIPPED_DEFAULT_REGISTERED', 'DEFAULT_RESTORED', 'DEFAULT_REPLACED')),
    at            timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor         text        NOT NULL,
    sha256        text        CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    code_version  text,
    reason        text
);

CREATE INDEX model_set_events_set_idx ON model_set_events (model_set_id, id);

COMMENT ON TABLE model_set_events IS 'Append-only audit log of the default model set; UPDATE, DELETE and TRUNCATE are refused.';
COMMENT ON COLUMN model_set_events.event IS
    'SHIPPED_DEFAULT_REGISTERED: registered from the shipped folder and made the default; DEFAULT_RESTORED: an already registered shipped set made the default again; DEFAULT_REPLACED: stopped being the default.';
COMMENT ON COLUMN model_set_events.actor IS 'Who made the change: a service instance.';
COMMENT ON COLUMN model_set_events.sha256 IS 'The shipped set''s model-set.json SHA-256.';
COMMENT ON COLUMN model_set_events.code_version IS 'Code version (git commit) recorded in the shipped set.';

CREATE FUNCTION refuse_model_set_event_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'model_set_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER model_set_events_no_update_delete
    BEFORE UPDATE OR DELETE ON model_set_events
    FOR EACH ROW EXECUTE FUNCTION refuse_model_set_event_change();

CREATE TRIGGER model_set_events_no_truncate
    BEFORE TRUNCATE ON model_set_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_model_set_event_change();

-- why: like model_sets, a shared catalogue; the gateway registers the default through its worker pool
GRANT SELECT         ON model_set_events TO triplane_app;
GRANT SELECT, INSERT ON model_set_events TO triplane_worker;
