package org.triplane.fusion.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.db.tasks.Task;
import org.triplane.events.PlaneResult;
import org.triplane.events.Topics;
import org.triplane.fusion.config.FusionWorkerConfig;
import org.triplane.fusion.service.FusionLedger;
import org.triplane.fusion.service.FusionService;
import org.triplane.messaging.EventCodec;
import org.triplane.worker.config.KafkaConfig;
import org.triplane.worker.messaging.CommittingConsumer;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.messaging.WorkerConsumer;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.WorkerIdentity;

/**
 * The fusion-worker's Kafka consumer of plane results, one at a time. An event is only a trigger:
 * the task table decides whether the scan's three planes are done, creates its FUSION task once
 * (later, duplicate and out-of-order events find it again) and this worker runs it if it is still
 * PENDING. A record that cannot be decoded, or names a job that does not exist, becomes a dead
 * letter with the reason.
 */
@ApplicationScoped
public class PlaneResultConsumer extends WorkerConsumer {
    private static final Logger LOG = Logger.getLogger(PlaneResultConsumer.class);

    private final CommittingConsumer consumer;
    private final EventCodec codec = new EventCodec();
    private final FusionLedger ledger;
    private final FusionService fusion;
    private final DeadLetters deadLetters;
    private final Backoff backoff;
    private final String worker;
    private final String consumerName;

    public PlaneResultConsumer(KafkaConfig kafka, FusionWorkerConfig config, FusionLedger ledger, FusionService fusion,
                               WorkerIdentity identity, DeadLetters deadLetters) {
        this.ledger = ledger;
        this.fusion = fusion;
        this.deadLetters = deadLetters;
        this.backoff = config.retry().backoff();
        this.worker = identity.id();
        this.consumerName = config.consumerName();
        this.consumer = new CommittingConsumer(kafka, config.consumerGroup(), List.of(Topics.PLANE_RESULTS), this::handle,
                "fusion-consumer");
    }

    @Override
    protected CommittingConsumer consumer() {
        return consumer;
    }

    private void handle(ConsumerRecord<String, String> r) {
        PlaneResult event;
        try {
            event = codec.decode(r.topic(), r.value(), PlaneResult.class);
        } catch (RuntimeException e) {
            deadLetter(r, null, e.getMessage());
            return;
        }
        Optional<Task> task;
        try {
            task = backoff.call("accept plane result " + event.eventId(), () -> ledger.onPlaneResult(consumerName, event, worker));
        } catch (PoisonInputException e) {
            deadLetter(r, event, e.reason());
            return;
        }
        if (task.isEmpty()) {
            LOG.debugf("plane result %s (scan %s, %s): nothing to fuse yet", event.eventId(), event.scanId(), event.plane());
            return;
        }
        try {
            fusion.claimAndRun(task.get().id(), worker)
                    .ifPresentOrElse(o -> { }, () -> LOG.debugf("fusion task %s is not pending, skipped", task.get().id()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // why: not committed; the record is read again and finds the task as the database says
            throw new IllegalStateException("interrupted while waiting for the fusion slot", e);
        }
    }

    private void deadLetter(ConsumerRecord<String, String> r, PlaneResult event, String reason) {
        deadLetters.message(r, reason, event == null ? null : event.tenantId(), event == null ? null : event.jobId(),
                event == null ? null : event.scanId());
    }
}
