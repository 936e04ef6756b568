package org.triplane.db.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/** Outbox and processed-event helpers: the two halves of exactly-once effects over Kafka. */
class DeliveryIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @AfterEach
    void publishLeftovers() {
        db.worker().run(c -> Outbox.markPublished(c,
                Outbox.fetchUnpublished(c, 1000).stream().map(OutboxEntry::id).toList()));
    }

    private static OutboxMessage event(String key) {
        return new OutboxMessage("job:" + key, "triplane.scans", key, "{\"key\": \"" + key + "\"}");
    }

    @Test
    void markProcessedIsTrueOnceThenFalse() {
        String eventId = UUID.randomUUID().toString();

        assertThat(db.worker().<Boolean>run(c -> ProcessedEvents.markProcessed(c, "fusion-worker", eventId))).isTrue();
        assertThat(db.worker().<Boolean>run(c -> ProcessedEvents.markProcessed(c, "fusion-worker", eventId))).isFalse();
        assertThat(db.worker().<Boolean>run(c -> ProcessedEvents.markProcessed(c, "gpu-worker", eventId))).isTrue();
    }

    @Test
    void aMarkRolledBackWithItsEffectsLetsTheRedeliveryThrough() {
        String eventId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> db.worker().run(c -> {
            ProcessedEvents.markProcessed(c, "fusion-worker", eventId);
            throw new IllegalStateException("consumer crashed before commit");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(db.worker().<Boolean>run(c -> ProcessedEvents.markProcessed(c, "fusion-worker", eventId))).isTrue();
    }

    @Test
    void eventsRolledBackWithTheirTransactionAreNeverVisible() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "outbox-" + UUID.randomUUID())).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        JobRequest request = aJob(tenant, List.of(scan)).build();

        assertThatThrownBy(() -> db.app().inTenant(tenant, c -> {
            Job job = Jobs.submit(c, request).job();
            Outbox.append(c, event(job.id().toString()));
            throw new IllegalStateException("object store refused the upload");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(db.worker().<List<OutboxEntry>>run(c -> Outbox.fetchUnpublished(c, 100))).isEmpty();
        assertThat(db.app().<List<Job>>inTenant(tenant, c -> Jobs.list(c, 10))).isEmpty();
    }

    @Test
    void committedEventsArePublishedInOrderThenNoLongerFetched() {
        UUID first = db.app().run(c -> Outbox.append(c, event("a")));
        UUID second = db.app().run(c -> Outbox.append(c, event("b")));

        List<OutboxEntry> pending = db.worker().run(c -> Outbox.fetchUnpublished(c, 100));
        int marked = db.worker().run(c -> Outbox.markPublished(c, List.of(first, second)));

        assertThat(pending).extracting(OutboxEntry::id).containsExactly(first, second);
        assertThat(pending.get(0).topic()).isEqualTo("triplane.scans");
        assertThat(pending.get(0).key()).isEqualTo("a");
        assertThat(pending.get(0).payloadJson()).isEqualTo("{\"key\": \"a\"}");
        assertThat(marked).isEqualTo(2);
        assertThat(db.worker().<List<OutboxEntry>>run(c -> Outbox.fetchUnpublished(c, 100))).isEmpty();
        assertThat(db.worker().<Integer>run(c -> Outbox.markPublished(c, List.of(first)))).isZero();
    }

    @Test
    void aSecondRelaySkipsEventsTheFirstHolds() throws Exception {
        UUID id = db.app().run(c -> Outbox.append(c, event("held")));
        List<OutboxEntry> seenBySecond;
        List<OutboxEntry> heldByFirst;
        try (HeldClaim first = HeldClaim.start(100)) {
            seenBySecond = db.worker().run(c -> Outbox.fetchUnpublished(c, 100));
            heldByFirst = first.end();
        }

        assertThat(seenBySecond).extracting(OutboxEntry::id).doesNotContain(id);
        assertThat(heldByFirst).extracting(OutboxEntry::id).contains(id);
    }

    @Test
    void aSecondRelayTakesNoLaterEventOfAKeyTheFirstHolds() throws Exception {
        UUID firstOfK = db.app().run(c -> Outbox.append(c, event("k")));
        UUID secondOfK = db.app().run(c -> Outbox.append(c, event("k")));
        UUID other = db.app().run(c -> Outbox.append(c, event("j")));
        List<OutboxEntry> seenBySecond;
        List<OutboxEntry> heldByFirst;
        try (HeldClaim first = HeldClaim.start(1)) {
            seenBySecond = db.worker().run(c -> Outbox.fetchUnpublished(c, 100));
            heldByFirst = first.end();
        }

        assertThat(heldByFirst).extracting(OutboxEntry::id).containsExactly(firstOfK);
        assertThat(seenBySecond).as("the key's later event waits for the holder; another key's does not")
                .extracting(OutboxEntry::id).containsExactly(other);
        // once the holder ended without marking anything, the key starts again at its oldest event
        assertThat(db.worker().<List<OutboxEntry>>run(c -> Outbox.fetchUnpublished(c, 100))).extracting(OutboxEntry::id)
                .containsExactly(firstOfK, secondOfK, other);
    }

    /** A first relay's claim, held open in its own transaction on another thread until {@link #end()}. */
    private static final class HeldClaim implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private Future<List<OutboxEntry>> claim;

        /** Claims up to {@code limit} events and returns once they are held. */
        static HeldClaim start(int limit) throws InterruptedException {
            HeldClaim h = new HeldClaim();
            CountDownLatch held = new CountDownLatch(1);
            h.claim = h.thread.submit(() -> db.worker().run(c -> {
                List<OutboxEntry> locked = Outbox.fetchUnpublished(c, limit);
                held.countDown();
                awaitQuietly(h.release);
                return locked;
            }));
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the first relay's claim").isTrue();
            return h;
        }

        /** Ends the transaction (nothing marked) and returns what it held. */
        List<OutboxEntry> end() throws Exception {
            release.countDown();
            return claim.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            release.countDown();
            thread.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
