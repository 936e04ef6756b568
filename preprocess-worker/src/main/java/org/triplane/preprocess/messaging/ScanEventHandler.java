package org.triplane.preprocess.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.db.tasks.Task;
import org.triplane.events.ScanEvent;
import org.triplane.messaging.EventCodec;
import org.triplane.messaging.EventDecodingException;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.preprocess.service.PreprocessService;
import org.triplane.preprocess.service.TaskLedger;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * A scan event: accept it once (processed-event mark + the job×scan preprocess task, one
 * transaction), then claim that task and run it. A redelivered event is only acknowledged; a task
 * that another worker holds is left to it (and to the sweeper, should that worker die). An unreadable
 * event, or one refused as poison (its job and scan then fail with the reason), becomes a dead letter.
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
    private final TaskGuard guard;

    public ScanEventHandler(TaskLedger ledger, PreprocessService service, DeadLetters deadLetters, WorkerConfig config,
                            WorkerIdentity identity, MeterRegistry metrics, TaskGuard guard) {
        this.ledger = ledger;
        this.guard = guard;
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
            deadLetters.message(record, "unreadable scan event: " + e.getMessage());
            return;
        }
        Optional<Task> task;
        try {
            task = backoff.call("accept event " + event.eventId(), () -> ledger.accept(config.consumerName(),
                    event.eventId().toString(), event.jobId(), event.scanId(), event.ctSha256(), identity.id()));
        } catch (PoisonInputException e) {
            deadLetters.failJob(record, e.reason(), event.tenantId(), event.jobId(), event.scanId());
            return;
        }
        if (task.isEmpty()) {
            metrics.counter("triplane.preprocess.events.duplicate").increment();
            LOG.infof("scan event %s already accepted; ignored", event.eventId());
            return;
        }
        Optional<Task> claimed = backoff.call("claim task " + task.get().id(),
                () -> guard.claim(task.get().id(), identity.id()));
        claimed.ifPresent(service::run);
    }
}
