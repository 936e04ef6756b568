package org.triplane.db;

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
import org.triplane.db.testing.TestDatabase;

/** Outbox and processed-event helpers: the two halves of exactly-once effects over Kafka. */
class DeliveryIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final JobStore store = new JobStore();

    @AfterEach
    void publishLeftovers() {
        db.worker().run(c -> store.markPublished(c,
                store.fetchUnpublished(c, 1000).stream().map(OutboxEntry::id).toList()));
    }

    private static OutboxMessage event(String key) {
        return new OutboxMessage("job:" + key, "triplane.scans", key, "{\"key\": \"" + key + "\"}");
    }

    @Test
    void markProcessedIsTrueOnceThenFalse() {
        String eventId = UUID.randomUUID().toString();

        assertThat(db.worker().<Boolean>run(c -> store.markProcessed(c, "fusion-worker", eventId))).isTrue();
        assertThat(db.worker().<Boolean>run(c -> store.markProcessed(c, "fusion-worker", eventId))).isFalse();
        assertThat(db.worker().<Boolean>run(c -> store.markProcessed(c, "gpu-worker", eventId))).isTrue();
    }

    @Test
    void aMarkRolledBackWithItsEffectsLetsTheRedeliveryThrough() {
        String eventId = UUID.randomUUID().toString();

        assertThatThrownBy(() -> db.worker().run(c -> {
            store.markProcessed(c, "fusion-worker", eventId);
            throw new IllegalStateException("consumer crashed before commit");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(db.worker().<Boolean>run(c -> store.markProcessed(c, "fusion-worker", eventId))).isTrue();
    }

    @Test
    void eventsRolledBackWithTheirTransactionAreNeverVisible() {
        UUID tenant = db.app().run(c -> store.createTenant(c, "outbox-" + UUID.randomUUID())).id();
        UUID scan = db.app().inTenant(tenant, c -> store.insertScan(c, aScan(tenant).build())).id();
        JobRequest request = aJob(tenant, List.of(scan)).build();

        assertThatThrownBy(() -> db.app().inTenant(tenant, c -> {
            Job job = store.submitJob(c, request).job();
            store.appendOutbox(c, event(job.id().toString()));
            throw new IllegalStateException("object store refused the upload");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(db.worker().<List<OutboxEntry>>run(c -> store.fetchUnpublished(c, 100))).isEmpty();
        assertThat(db.app().<List<Job>>inTenant(tenant, c -> store.listJobs(c, 10))).isEmpty();
    }

    @Test
    void committedEventsArePublishedInOrderThenNoLongerFetched() {
        UUID first = db.app().run(c -> store.appendOutbox(c, event("a")));
        UUID second = db.app().run(c -> store.appendOutbox(c, event("b")));

        List<OutboxEntry> pending = db.worker().run(c -> store.fetchUnpublished(c, 100));
        int marked = db.worker().run(c -> store.markPublished(c, List.of(first, second)));

        assertThat(pending).extracting(OutboxEntry::id).containsExactly(first, second);
        assertThat(pending.get(0).topic()).isEqualTo("triplane.scans");
        assertThat(pending.get(0).key()).isEqualTo("a");
        assertThat(pending.get(0).payloadJson()).isEqualTo("{\"key\": \"a\"}");
        assertThat(marked).isEqualTo(2);
        assertThat(db.worker().<List<OutboxEntry>>run(c -> store.fetchUnpublished(c, 100))).isEmpty();
        assertThat(db.worker().<Integer>run(c -> store.markPublished(c, List.of(first)))).isZero();
    }

    @Test
    void aSecondRelaySkipsEventsTheFirstHolds() throws Exception {
        UUID id = db.app().run(c -> store.appendOutbox(c, event("held")));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService firstRelay = Executors.newSingleThreadExecutor();
        try {
            Future<List<OutboxEntry>> first = firstRelay.submit(() -> db.worker().run(c -> {
                List<OutboxEntry> locked = store.fetchUnpublished(c, 100);
                held.countDown();
                awaitQuietly(release);
                return locked;
            }));
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            List<OutboxEntry> seenBySecond = db.worker().run(c -> store.fetchUnpublished(c, 100));
            release.countDown();

            assertThat(seenBySecond).extracting(OutboxEntry::id).doesNotContain(id);
            assertThat(first.get(30, TimeUnit.SECONDS)).extracting(OutboxEntry::id).contains(id);
        } finally {
            release.countDown();
            firstRelay.shutdownNow();
        }
    }

    @Test
    void aSecondRelayTakesNoLaterEventOfAKeyTheFirstHolds() throws Exception {
        UUID firstOfK = db.app().run(c -> store.appendOutbox(c, event("k")));
        UUID secondOfK = db.app().run(c -> store.appendOutbox(c, event("k")));
        UUID other = db.app().run(c -> store.appendOutbox(c, event("j")));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService firstRelay = Executors.newSingleThreadExecutor();
        try {
            Future<List<OutboxEntry>> first = firstRelay.submit(() -> db.worker().run(c -> {
                List<OutboxEntry> locked = store.fetchUnpublished(c, 1);
                held.countDown();
                awaitQuietly(release);
                return locked;
            }));
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

            List<OutboxEntry> seenBySecond = db.worker().run(c -> store.fetchUnpublished(c, 100));
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).extracting(OutboxEntry::id).containsExactly(firstOfK);
            assertThat(seenBySecond).as("the key's later event waits for the holder; another key's does not")
                    .extracting(OutboxEntry::id).containsExactly(other);
        } finally {
            release.countDown();
            firstRelay.shutdownNow();
        }
        // once the holder ended without marking anything, the key starts again at its oldest event
        assertThat(db.worker().<List<OutboxEntry>>run(c -> store.fetchUnpublished(c, 100))).extracting(OutboxEntry::id)
                .containsExactly(firstOfK, secondOfK, other);
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
