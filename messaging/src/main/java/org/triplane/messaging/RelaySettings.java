package org.triplane.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link OutboxRelay} paces itself.
 *
 * @param batchSize   most outbox rows read, published and marked in one transaction
 * @param sendTimeout longest wait for the broker's acknowledgements of one batch
 * @param idleDelay   pause after a pass that found nothing to publish
 * @param minBackoff  first pause after a failed pass; doubled per consecutive failure
 * @param maxBackoff  longest pause after failures
 */
public record RelaySettings(int batchSize, Duration sendTimeout, Duration idleDelay, Duration minBackoff,
                            Duration maxBackoff) {

    /** 100 rows, 30 s acks, 200 ms idle, 0.5–30 s backoff. */
    public static final RelaySettings DEFAULTS = new RelaySettings(100, Duration.ofSeconds(30), Duration.ofMillis(200),
            Duration.ofMillis(500), Duration.ofSeconds(30));

    /** Validates every field, naming the one that is wrong. */
    public RelaySettings {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize: must be positive, got " + batchSize);
        }
        positive(sendTimeout, "sendTimeout");
        positive(idleDelay, "idleDelay");
        positive(minBackoff, "minBackoff");
        positive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff: must not be below minBackoff " + minBackoff);
        }
    }

    /**
     * @param consecutiveFailures failed passes in a row, from 1
     * @return pause before the next pass
     */
    public Duration backoff(int consecutiveFailures) {
        int doublings = Math.min(Math.max(consecutiveFailures - 1, 0), 20);
        Duration d = minBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private static void positive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": must be positive, got " + d);
        }
    }
}
