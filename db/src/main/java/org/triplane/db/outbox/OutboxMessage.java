package org.triplane.db.outbox;

/**
 * An event to publish once the transaction that appends it commits.
 *
 * @param aggregate   what the event is about, e.g. {@code job:<id>}
 * @param topic       Kafka topic
 * @param key         Kafka record key (partitioning, per-key order), may be {@code null}
 * @param payloadJson the event, a JSON document
 */
public record OutboxMessage(String aggregate, String topic, String key, String payloadJson) {

    /** Validates the required fields, naming the one that is missing. */
    public OutboxMessage {
        if (aggregate == null || aggregate.isBlank()) {
            throw new IllegalArgumentException("aggregate: required");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic: required");
        }
        if (payloadJson == null || payloadJson.isBlank()) {
            throw new IllegalArgumentException("payloadJson: required");
        }
    }
}
