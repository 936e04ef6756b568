-- Dead letters: input a worker gave up on, with the reason, recorded in the database first and
-- published to triplane.dead-letter through the outbox in the same transaction, so the reason
-- survives a broker outage and reaches Kafka once the broker is back. One migration holds the whole
-- change (table, natural keys, grants and tenant isolation).
CREATE TABLE dead_letters (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer          text        NOT NULL CHECK (consumer <> ''),
    worker_id         text        NOT NULL CHECK (worker_id <> ''),
    reason            text        NOT NULL CHECK (reason <> ''),
    source_topic      text,
    source_partition  integer     CHECK (source_partition >= 0),
    source_offset     bigint      CHECK (source_offset >= 0),
    -- why no foreign keys: a letter may name a tenant, job, scan or task that does not exist (that can be its reason)
    tenant_id         uuid,
    job_id            uuid,
    scan_id           uuid,
    task_id           uuid,
    payload           text,
    failed_at         timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT dead_letters_source_check
        CHECK ((source_topic IS NULL) = (source_partition IS NULL) AND (source_topic IS NULL) = (source_offset IS NULL)),
    -- why: the natural key below needs either the message's place or the task
    CONSTRAINT dead_letters_subject_check CHECK (source_topic IS NOT NULL OR task_id IS NOT NULL)
);

-- The natural keys that make recording idempotent: a redelivered message or a task failed twice
-- (a retried transaction, a reclaimed lease) finds its letter and adds none.
CREATE UNIQUE INDEX dead_letters_message_key ON dead_letters (consumer, source_topic, source_partition, source_offset)
    WHERE source_topic IS NOT NULL;
CREATE UNIQUE INDEX dead_letters_task_key ON dead_letters (task_id) WHERE source_topic IS NULL;
CREATE INDEX dead_letters_job_idx ON dead_letters (job_id, id) WHERE job_id IS NOT NULL;

COMMENT ON TABLE dead_letters IS
    'Input a worker gave up on, with the reason; each row was published to triplane.dead-letter through the outbox.';
COMMENT ON COLUMN dead_letters.consumer IS 'The giving-up worker''s consumer name, e.g. preprocess-worker.';
COMMENT ON COLUMN dead_letters.worker_id IS 'The instance, e.g. preprocess@host:1234.';
COMMENT ON COLUMN dead_letters.reason IS 'What is wrong, in words a person can act on.';
COMMENT ON COLUMN dead_letters.source_topic IS 'Topic of the message given up on; NULL for a claimed task (no message in hand).';
COMMENT ON COLUMN dead_letters.source_partition IS 'Its partition; NULL with source_topic.';
COMMENT ON COLUMN dead_letters.source_offset IS 'Its offset; NULL with source_topic.';
COMMENT ON COLUMN dead_letters.task_id IS 'The task that failed with this reason, when there was one.';
COMMENT ON COLUMN dead_letters.payload IS 'The message value as received (U+0000 replaced by U+FFFD), or NULL for a task.';
COMMENT ON COLUMN dead_letters.failed_at IS 'When the worker gave up, its own clock.';
COMMENT ON COLUMN dead_letters.recorded_at IS 'When the row was written, database clock.';

-- why the app role reads: a job's audit shows its dead letters, to the job's tenant only
GRANT SELECT         ON dead_letters TO triplane_app;
GRANT SELECT, INSERT ON dead_letters TO triplane_worker;

ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dead_letters
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
