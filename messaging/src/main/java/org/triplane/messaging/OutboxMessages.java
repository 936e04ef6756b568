package org.triplane.messaging;

import java.util.Objects;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.events.ScanEvent;
import org.triplane.events.Topics;

/** The one mapping from event records to outbox rows: topic, Kafka key and aggregate. */
public final class OutboxMessages {

    private final EventCodec codec;

    /** @param codec how payloads are written */
    public OutboxMessages(EventCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * @param event a scan waiting for preprocessing
     * @return its outbox row for {@link Topics#SCAN_EVENTS}, keyed by scan id, aggregate {@code job:<id>}
     */
    public OutboxMessage scanEvent(ScanEvent event) {
        return new OutboxMessage("job:" + event.jobId(), Topics.SCAN_EVENTS, event.key(), codec.encode(event));
    }
}
