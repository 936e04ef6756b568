package org.triplane.db.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.Tx;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * Dead letters are recorded once per natural key (a message's consumer, topic, partition and
 * offset; a task), read back as written, and shown to their tenant only.
 */
class DeadLettersIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123456Z");

    @Test
    void aRedeliveredMessageAddsNoSecondLetterButAnotherConsumerOrOffsetDoes() {
        UUID job = UUID.randomUUID();
        DeadLetter first = message("preprocess-worker", 7, job, "unreadable scan event: not JSON");

        assertThat(record(first)).isTrue();
        assertThat(record(message("preprocess-worker", 7, job, "again")))
                .isFalse();
        assertThat(record(message("fusion-worker", 7, job, "its own reason")))
                .isTrue();
        assertThat(record(message("preprocess-worker", 8, job, "the next one")))
                .isTrue();

        assertThat(letters(db.worker(), job)).extracting(DeadLetter::reason)
                .containsExactly("unreadable scan event: not JSON", "its own reason", "the next one");
        assertThat(letters(db.worker(), job).get(0)).isEqualTo(first);
    }

    @Test
    void aTaskFailedTwiceHasOneLetter() {
        UUID job = UUID.randomUUID();
        UUID task = UUID.randomUUID();
        DeadLetter letter = task(job, task, "CT has SHA-256 a… but the scan record says b…");

        assertThat(record(letter)).isTrue();
        assertThat(record(task(job, task, "a retried run"))).isFalse();

        DeadLetter stored = letters(db.worker(), job).get(0);
        assertThat(stored).isEqualTo(letter);
        assertThat(stored.partition()).isEqualTo(-1);
        assertThat(stored.offset()).isEqualTo(-1);
    }

    @Test
    void aNulInThePayloadIsStoredAsAReplacementCharacter() {
        UUID job = UUID.randomUUID();
        DeadLetter withNul = new DeadLetter("gpu-worker", "gpu@host:1", "unreadable\u0000 record", "triplane.plane-tasks", 0,
                3, null, job, null, null, "{\"a\":\u0000}", AT);

        record(withNul);

        DeadLetter stored = letters(db.worker(), job).get(0);
        assertThat(stored.payload()).isEqualTo("{\"a\":\uFFFD}");
        assertThat(stored.reason()).isEqualTo("unreadable\uFFFD record");
    }

    @Test
    void theAppRoleSeesOnlyItsTenantsLetters() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "dead-letters-" + UUID.randomUUID())).id();
        UUID other = db.app().run(c -> Tenants.create(c, "dead-letters-" + UUID.randomUUID())).id();
        UUID job = UUID.randomUUID();
        db.worker().run(c -> DeadLetters.record(c, new DeadLetter("preprocess-worker", "w", "mine", null, -1, -1,
                tenant, job, null, UUID.randomUUID(), null, AT)));

        assertThat(letters(tenant, job)).extracting(DeadLetter::reason)
                .containsExactly("mine");
        assertThat(letters(other, job)).isEmpty();
        assertThatThrownBy(() -> db.app().inTenant(tenant, c -> DeadLetters.record(c, new DeadLetter("api", "w",
                "not the gateway's to write", null, -1, -1, tenant, job, null, UUID.randomUUID(), null, AT))))
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void aLetterNeedsAMessageOrATaskAsItsKey() {
        assertThatThrownBy(() -> new DeadLetter("c", "w", "why", null, -1, -1, null, null, null, null, null, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("natural key");
        assertThatThrownBy(() -> new DeadLetter("c", "w", "why", "t", -1, 5, null, null, null, null, null, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("natural key");
        assertThatThrownBy(() -> new DeadLetter("c", "w", " ", "t", 0, 5, null, null, null, null, null, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    }

    private static boolean record(DeadLetter letter) {
        return db.worker().run(c -> DeadLetters.record(c, letter));
    }

    private static List<DeadLetter> letters(Tx tx, UUID job) {
        return tx.run(c -> DeadLetters.ofJob(c, job));
    }

    private static List<DeadLetter> letters(UUID tenant, UUID job) {
        return db.app().inTenant(tenant, c -> DeadLetters.ofJob(c, job));
    }

    private static DeadLetter message(String consumer, long offset, UUID job, String reason) {
        return new DeadLetter(consumer, consumer + "@host:1", reason, "triplane.scan-events", 2, offset, null, job, null,
                null, "{not json", AT.plus(offset, ChronoUnit.SECONDS));
    }

    private static DeadLetter task(UUID job, UUID task, String reason) {
        return new DeadLetter("preprocess-worker", "preprocess@host:1", reason, null, -1, -1, UUID.randomUUID(), job,
                UUID.randomUUID(), task, null, AT);
    }
}
