package org.triplane.worker.run;

import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.triplane.db.DataAccessException;
import org.triplane.objectstore.MissingObjectException;
import org.triplane.objectstore.ObjectStoreException;

/**
 * Retries a step on transient failures ({@link TransientException}, {@link DataAccessException}, an
 * {@link ObjectStoreException} other than a missing object) with exponential backoff; anything else,
 * poison input and a {@link MissingObjectException} included, passes straight through.
 */
public final class Backoff {
    private static final Logger LOG = Logger.getLogger(Backoff.class);

    private final int attempts;
    private final Duration initial;
    private final Duration max;

    public Backoff(int attempts, Duration initial, Duration max) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: must be at least 1, got " + attempts);
        }
        this.attempts = attempts;
        this.initial = initial;
        this.max = max;
    }

    /** Wait before try {@code n + 1} after {@code n} failures: initial·2^(n−1), capped. */
    public Duration delayAfter(int failures) {
        long ms = initial.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /**
     * @param what  names the step in logs and in the final error
     * @param step  the step
     * @return its result
     * @throws RuntimeException the last transient failure once the tries are used up
     */
    public <T> T call(String what, Supplier<T> step) {
        for (int failures = 0; ; ) {
            try {
                return step.get();
            } catch (MissingObjectException e) {
                // why: an object that is not there does not appear by waiting; the caller treats it as poison
                throw e;
            } catch (TransientException | DataAccessException | ObjectStoreException e) {
                failures++;
                if (failures >= attempts) {
                    throw e;
                }
                Duration wait = delayAfter(failures);
                LOG.warnf("%s failed (%d of %d), retrying in %d ms: %s", what, failures, attempts, wait.toMillis(), e.getMessage());
                sleep(wait);
            }
        }
    }

    public void run(String what, Runnable step) {
        call(what, () -> {
            step.run();
            return null;
        });
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while waiting to retry");
        }
    }
}
