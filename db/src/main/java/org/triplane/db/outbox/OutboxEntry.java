package org.triplane.db.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored, not yet published outbox event.
 *
 * @param id          event id; consumers deduplicate on it
 * @param seq         insertion order
 * @param aggregate   what the event is about
 * @param topic       Kafka topic
 * @param key         Kafka record key, or {@code null}
 * @param payloadJson the event, a JSON document
 * @param createdAt   instant the appending transaction started
 */
public record OutboxEntry(UUID id, long seq, String aggregate, String topic, String key, String payloadJson,
        Instant createdAt) {
}
