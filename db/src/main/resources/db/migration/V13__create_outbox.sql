-- Transactional outbox: events are written in the same transaction as the rows they describe and
-- a relay publishes them to Kafka afterwards, so a row never exists without its event or vice versa.
CREATE TABLE outbox (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- why: a gap-free insertion order for the relay; created_at (transaction start) can tie
    seq           bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    aggregate     text        NOT NULL,
    topic         text        NOT NULL,
    key           text,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);

CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;

COMMENT ON TABLE outbox IS 'Events awaiting publication to Kafka; published_at is set once the broker acknowledged.';
COMMENT ON COLUMN outbox.aggregate IS 'What the event is about, e.g. job:<id>.';
COMMENT ON COLUMN outbox.key IS 'Kafka record key (partitioning and per-key order).';
COMMENT ON COLUMN outbox.published_at IS 'Instant the broker acknowledged the event; NULL while pending.';
