package org.triplane.worker.messaging;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.triplane.db.Tx;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.OutboxMessage;
import org.triplane.db.tasks.Task;
import org.triplane.events.Topics;
import org.triplane.messaging.EventCodec;
import org.triplane.worker.pipeline.JobFlow;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.TaskLifecycle;

/**
 * How a worker gives up on input, the one place for it: in one transaction, the {@link DeadLetter}
 * is recorded in {@code dead_letters}, its record for {@link Topics#DEAD_LETTER} is appended to the
 * outbox (the relay publishes it, also after a broker outage), and what the input was for fails with
 * the same reason when there is something to fail. Only the database must answer, so a poison input
 * never waits for Kafka and its reason is never lost with the broker down.
 *
 * <p>Idempotent: a letter whose natural key (the message's place, or the task) was recorded before
 * writes nothing and publishes nothing again, so a redelivered message or a repeated failure yields
 * one letter. The letter is logged once as a warning, when recorded. Database failures are retried
 * with the worker's backoff; when they outlast it the call throws, so a consumer leaves the message
 * uncommitted and reads it again.
 */
public final class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final Tx tx;
    private final Backoff backoff;
    private final String consumer;
    private final String workerId;
    private final JobFlow flow = new JobFlow();
    private final EventCodec codec = new EventCodec();

    /**
     * @param tx       transactions as {@code triplane_worker}
     * @param backoff  retry of database failures
     * @param consumer the worker's consumer name, recorded in each letter
     * @param workerId this instance, recorded in each letter
     */
    public DeadLetters(Tx tx, Backoff backoff, String consumer, String workerId) {
        this.tx = tx;
        this.backoff = backoff;
        this.consumer = consumer;
        this.workerId = workerId;
    }

    /**
     * A claimed task whose input can never be processed: the task, its job's scan (if it has one) and
     * its job fail with {@code reason}, and the letter is recorded with them.
     */
    public void failTask(Task task, String reason) {
        DeadLetter letter = new DeadLetter(consumer, workerId, reason, null, -1, -1, task.tenantId(), task.jobId(),
                task.scanId(), task.id(), null, Instant.now());
        record("task " + task.id(), letter, c -> flow.failed(c, task, reason));
    }

    /**
     * A message refused as poison for a job it names: the job's scan (when {@code scanId} is given)
     * and the job fail with {@code reason}, and the letter is recorded with them.
     */
    public void failJob(ConsumerRecord<String, String> message, String reason, UUID tenantId, UUID jobId, UUID scanId) {
        record(place(message), ofMessage(message, reason, tenantId, jobId, scanId),
                c -> flow.jobFailed(c, jobId, scanId, reason, workerId));
    }

    /** A message that cannot be processed and names nothing to fail (it cannot be read, or names nothing that exists). */
    public void message(ConsumerRecord<String, String> message, String reason) {
        message(message, reason, null, null, null);
    }

    /** As {@link #message(ConsumerRecord, String)}, with the ids the message names as far as it could be read. */
    public void message(ConsumerRecord<String, String> message, String reason, UUID tenantId, UUID jobId, UUID scanId) {
        record(place(message), ofMessage(message, reason, tenantId, jobId, scanId), c -> { });
    }

    private DeadLetter ofMessage(ConsumerRecord<String, String> r, String reason, UUID tenantId, UUID jobId, UUID scanId) {
        return new DeadLetter(consumer, workerId, reason, r.topic(), r.partition(), r.offset(), tenantId, jobId, scanId,
                null, r.value(), Instant.now());
    }

    /** What else the giving-up transaction does. */
    @FunctionalInterface
    private interface Alongside {
        void apply(Connection c) throws SQLException;
    }

    private void record(String subject, DeadLetter letter, Alongside alongside) {
        boolean recorded = backoff.call("dead letter for " + subject, () -> TaskLifecycle.retryOnConflict(() -> tx.run(c -> {
            alongside.apply(c);
            if (!org.triplane.db.outbox.DeadLetters.record(c, letter)) {
                return false;
            }
            Outbox.append(c, new OutboxMessage(aggregate(letter, subject), Topics.DEAD_LETTER,
                    letter.scanId() == null ? null : letter.scanId().toString(), codec.encode(letter)));
            return true;
        })));
        if (recorded) {
            LOG.warnf("dead letter for %s (job %s, scan %s): %s", subject, letter.jobId(), letter.scanId(), letter.reason());
        } else {
            // why a line: a redelivery or a repeated failure shows it happened, without a second warning
            LOG.infof("dead letter for %s recorded before; nothing added", subject);
        }
    }

    private static String aggregate(DeadLetter letter, String subject) {
        return letter.jobId() != null ? "job:" + letter.jobId() : subject;
    }

    private static String place(ConsumerRecord<String, String> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }
}
