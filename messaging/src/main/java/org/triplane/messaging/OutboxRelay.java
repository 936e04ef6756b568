package org.triplane.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.triplane.db.Tx;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.OutboxEntry;

/**
 * Publishes committed outbox rows to Kafka.
 *
 * <p>One pass ({@link #runOnce()}) is one transaction as {@code triplane_worker}: lock up to
 * {@link RelaySettings#batchSize()} unpublished rows ({@code FOR UPDATE SKIP LOCKED}), send each
 * to its topic with its key, wait for every acknowledgement, then mark the rows published and
 * commit. Rows of a rolled-back transaction never exist, so they are never sent. A failure before
 * the commit leaves the rows unpublished and they are sent again later: delivery is at least once,
 * and consumers deduplicate on the event id (also sent as header {@link #OUTBOX_ID_HEADER}).
 * Several relays may run at once (every service runs one, see {@link RelayService}): the claim
 * ({@link Outbox#fetchUnpublished}) locks each row and its (topic, key), so two relays never send
 * the same row in one pass, and while one holds a key no other sends a later row of it; the rows
 * of one key therefore reach Kafka in outbox order, as they would through a single relay.
 *
 * <p>{@link #start()} runs passes on a background thread until {@link #close()}: again at once
 * after a full batch, after {@link RelaySettings#idleDelay()} when idle, with exponential backoff
 * after failures. A failed pass never ends the loop; if the thread ends anyway before
 * {@link #close()}, {@link #died()} says why, and the service reports itself not ready.
 */
public final class OutboxRelay implements AutoCloseable {

    /** Kafka header carrying the outbox row id (UTF-8 UUID text). */
    public static final String OUTBOX_ID_HEADER = "triplane-outbox-id";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final Tx workerTx;
    private final Producer<String, String> producer;
    private final RelaySettings settings;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile Thread loop;
    /** What the loop pauses on between passes, so that {@link #close()} wakes it without an interrupt. */
    private final Object pause = new Object();
    private volatile Throwable lastFailure;
    private volatile Throwable died;

    /**
     * @param workerTx transactions as {@code triplane_worker} (the app role may not read the outbox)
     * @param producer an idempotent producer with {@code acks=all} (see {@link ReliableProducer}); not closed here
     * @param settings pacing
     */
    public OutboxRelay(Tx workerTx, Producer<String, String> producer, RelaySettings settings) {
        this.workerTx = Objects.requireNonNull(workerTx, "workerTx");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Publishes one batch of committed, unpublished rows and marks them published.
     *
     * @return how many rows were published (0 when none was waiting)
     * @throws RelayException when the broker did not acknowledge every record in time (nothing is
     *                        marked; the rows go out again on a later pass)
     * @throws org.triplane.db.DataAccessException when the database fails
     */
    public int runOnce() {
        return workerTx.run(c -> {
            List<OutboxEntry> entries = Outbox.fetchUnpublished(c, settings.batchSize());
            if (entries.isEmpty()) {
                return 0;
            }
            awaitAcks(send(entries), entries);
            Outbox.markPublished(c, entries.stream().map(OutboxEntry::id).toList());
            return entries.size();
        });
    }

    private List<Future<RecordMetadata>> send(List<OutboxEntry> entries) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
        for (OutboxEntry e : entries) {
            ProducerRecord<String, String> record = new ProducerRecord<>(e.topic(), e.key(), e.payloadJson());
            record.headers().add(OUTBOX_ID_HEADER, e.id().toString().getBytes(StandardCharsets.UTF_8));
            acks.add(producer.send(record));
        }
        return acks;
    }

    private void awaitAcks(List<Future<RecordMetadata>> acks, List<OutboxEntry> entries) {
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        for (int i = 0; i < acks.size(); i++) {
            UUID id = entries.get(i).id();
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new RelayException("outbox row " + id + " to " + entries.get(i).topic() + ": broker refused: "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new RelayException("outbox row " + id + " to " + entries.get(i).topic() + ": no acknowledgement within "
                        + settings.sendTimeout(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelayException("interrupted while waiting for acknowledgements", e);
            }
        }
    }

    /** Starts the background loop (no-op when it runs already). */
    public synchronized void start() {
        if (running.getAndSet(true)) {
            return;
        }
        Thread t = new Thread(this::loopUntilClosed, "triplane-outbox-relay");
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    private void loopUntilClosed() {
        try {
            loop();
        } catch (Throwable t) {
            // why catch what the loop lets through (an error thrown again while a failure is handled):
            // recorded first, so readiness reports the dead relay even when logging fails as well
            died = t;
            log.error("outbox relay loop died; this service publishes no event until it restarts", t);
            return;
        }
        if (running.get()) {
            died = new IllegalStateException("outbox relay loop interrupted before close");
        }
    }

    private void loop() {
        while (running.get()) {
            Duration pause;
            try {
                int n = runOnce();
                consecutiveFailures.set(0);
                lastFailure = null;
                pause = n >= settings.batchSize() ? Duration.ZERO : settings.idleDelay();
            } catch (RuntimeException | Error e) {
                // why Error too: an error (out of memory) escaping would end the loop, and with it every event's
                // way to Kafka, while the gateway still reports itself ready; the pass rolled back, so the next one
                // sends the same rows, and the memory may be free again by then
                lastFailure = e;
                int failures = consecutiveFailures.incrementAndGet();
                pause = settings.backoff(failures);
                if (e instanceof Error) {
                    log.error("outbox relay pass failed with an error ({} in a row), retrying in {}", failures, pause, e);
                } else {
                    log.warn("outbox relay pass failed ({} in a row), retrying in {}: {}", failures, pause, e.getMessage());
                }
            }
            if (!pause.isZero() && !sleep(pause)) {
                return;
            }
        }
    }

    /** @return false when the relay was closed (or the loop interrupted) meanwhile */
    private boolean sleep(Duration d) {
        synchronized (pause) {
            if (!running.get()) {
                return false;
            }
            try {
                pause.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running.get();
    }

    /** @return failed passes in a row (0 after a successful one) */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** @return the error of the last pass if it failed, else {@code null} */
    public Throwable lastFailure() {
        return lastFailure;
    }

    /** @return what ended the background loop before {@link #close()}, or {@code null} while it runs (or was never started) */
    public Throwable died() {
        return died;
    }

    /**
     * Stops the background loop: a pausing loop ends at once, a pass in flight is let finish (up to the
     * send timeout) and only then interrupted. why not interrupt first: a pass waiting for its
     * acknowledgements would fail and leave the rows it sent unmarked, and another relay would send them
     * again (a service stopping right after it committed an event published it twice).
     */
    @Override
    public void close() {
        running.set(false);
        synchronized (pause) {
            pause.notifyAll();
        }
        Thread t = loop;
        if (t == null) {
            return;
        }
        try {
            t.join(settings.sendTimeout().toMillis());
            if (t.isAlive()) {
                t.interrupt();
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
