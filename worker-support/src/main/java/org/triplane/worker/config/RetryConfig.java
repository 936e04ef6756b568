package org.triplane.worker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.triplane.worker.run.Backoff;

/**
 * Bounded retry of transient failures (object store or database briefly down): initial, initial·2,
 * … capped at {@link #maxBackoff()}, at most {@link #attempts()} tries. A group inside each worker's
 * own config mapping.
 */
public interface RetryConfig {
    /** Tries in all (first one included). */
    @WithDefault("10")
    int attempts();

    /** Wait before the second try. */
    @WithDefault("250ms")
    Duration initialBackoff();

    /** Longest wait between two tries. */
    @WithDefault("8s")
    Duration maxBackoff();

    /** These settings as a retry policy. */
    default Backoff backoff() {
        return new Backoff(attempts(), initialBackoff(), maxBackoff());
    }
}
