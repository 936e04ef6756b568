-- Consumers record each event they applied, in the same transaction as its effects, so a
-- redelivered event is recognised and skipped.
CREATE TABLE processed_events (
    consumer      text        NOT NULL,
    event_id      text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

COMMENT ON TABLE processed_events IS 'Event ids already applied, per consumer (idempotent consumers).';
COMMENT ON COLUMN processed_events.event_id IS 'Event id as text: an outbox uuid or a derived id for foreign events.';
