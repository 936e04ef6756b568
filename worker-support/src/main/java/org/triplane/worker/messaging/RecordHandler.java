package org.triplane.worker.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Does a record's work. Returning normally commits the record; throwing leaves it uncommitted, to be
 * read again after a pause, so a handler must be idempotent.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(ConsumerRecord<String, String> record);
}
