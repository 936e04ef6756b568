package org.triplane.worker.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.triplane.db.DataAccessException;
import org.triplane.objectstore.MissingObjectException;
import org.triplane.objectstore.ObjectStoreException;

class BackoffTest {
    private final Backoff backoff = new Backoff(4, Duration.ofMillis(1), Duration.ofMillis(3));

    @Test
    void delaysDoubleUpToTheCap() {
        Backoff b = new Backoff(10, Duration.ofMillis(250), Duration.ofSeconds(8));
        assertThat(b.delayAfter(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(b.delayAfter(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delayAfter(6)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delayAfter(60)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void transientFailuresAreRetriedUntilTheStepPasses() {
        AtomicInteger calls = new AtomicInteger();
        String result = backoff.call("step", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new TransientException("down", null);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void theLastTransientFailureIsThrownOnceTheTriesAreUsedUp() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> backoff.run("step", () -> {
            calls.incrementAndGet();
            throw new DataAccessException("db down", new java.sql.SQLException("connection refused", "08001"));
        })).isInstanceOf(DataAccessException.class);
        assertThat(calls).hasValue(4);
    }

    @Test
    void poisonIsNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> backoff.run("step", () -> {
            calls.incrementAndGet();
            throw new PoisonInputException("bad checksum");
        })).isInstanceOf(PoisonInputException.class).hasMessage("bad checksum");
        assertThat(calls).hasValue(1);
    }

    @Test
    void anObjectStoreFailureIsRetriedButAMissingObjectIsNot() {
        AtomicInteger calls = new AtomicInteger();
        String result = backoff.call("download", () -> {
            if (calls.incrementAndGet() < 2) {
                throw new ObjectStoreException("download of k failed: connection reset", null);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(2);

        AtomicInteger missingCalls = new AtomicInteger();
        assertThatThrownBy(() -> backoff.run("download", () -> {
            missingCalls.incrementAndGet();
            throw new MissingObjectException("k", "triplane", null);
        })).isInstanceOf(MissingObjectException.class);
        assertThat(missingCalls).hasValue(1);
    }
}
