package org.triplane.preprocess.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.db.Task;
import org.triplane.events.ScanEvent;
import org.triplane.messaging.EventCodec;
import org.triplane.messaging.EventDecodingException;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.preprocess.service.PreprocessService;
import org.triplane.preprocess.service.TaskLedger;
import org.triplane.worker.messaging.DeadLetter;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.WorkerIdentity;

/**
 * A scan event: accept it once (processed-event mark + the job×scan preprocess task, one
 * transaction), then claim that task and run it. A redelivered event is only acknowledged; a task
 * that another worker holds is left to it (and to the sweeper, should that worker die).
 */
@ApplicationScoped
public class ScanEventHandler {
    private static final Logger LOG = Logger.getLogger(ScanEventHandler.class);

    private final EventCodec codec = new EventCodec();
    private final TaskLedger ledger;
    private final PreprocessService service;
    private final DeadLetters deadLetters;
    private final WorkerConfig config;
    private final WorkerIdentity identity;
    private final MeterRegistry metrics;
    private final Backoff backoff;

    public ScanEventHandler(TaskLedger ledger, PreprocessService service, DeadLetters deadLetters, WorkerConfig config,
                            WorkerIdentity identity, MeterRegistry metrics) {
        this.ledger = ledger;
        this.service = service;
        this.deadLetters = deadLetters;
        this.config = config;
        this.identity = identity;
        this.metrics = metrics;
        this.backoff = config.retry().backoff();
    }

    public void handle(ConsumerRecord<String, String> record) {
        ScanEvent event;
        try {
            event = codec.decodeScanEvent(record.value());
        } catch (EventDecodingException e) {
            deadLetter(record, null, "unreadable scan event: " + e.getMessage());
            return;
        }
        Optional<Task> task;
        try {
            task = backoff.call("accept event " + event.eventId(), () -> ledger.accept(config.consumerName(),
                    event.eventId().toString(), event.jobId(), event.scanId(), event.ctSha256(), identity.id()));
        } catch (PoisonInputException e) {
            deadLetter(record, event, e.reason());
            backoff.run("fail job " + event.jobId(),
                    () -> ledger.lifecycle().failJob(event.jobId(), event.scanId(), e.reason(), identity.id()));
            return;
        }
        if (task.isEmpty()) {
            metrics.counter("triplane.preprocess.events.duplicate").increment();
            LOG.infof("scan event %s already accepted; ignored", event.eventId());
            return;
        }
        Optional<Task> claimed = backoff.call("claim task " + task.get().id(),
                () -> ledger.lifecycle().claim(task.get().id(), identity.id(), service.leaseSeconds()));
        claimed.ifPresent(service::run);
    }

    private void deadLetter(ConsumerRecord<String, String> record, ScanEvent event, String reason) {
        LOG.warnf("dead letter from %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        backoff.run("dead letter", () -> deadLetters.publish(new DeadLetter(config.consumerName(), identity.id(), reason,
                record.topic(), record.partition(), record.offset(),
                event == null ? null : event.tenantId(), event == null ? null : event.jobId(),
                event == null ? null : event.scanId(), null, record.value(), Instant.now())));
    }
}
