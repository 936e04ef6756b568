package org.triplane.gateway.report;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.triplane.gateway.service.ServiceBusy;

/**
 * At most {@code atOnce} overlay renderings at a time; a rendering that cannot start within
 * {@code wait} is refused with {@link ServiceBusy} (503, {@code Retry-After}).
 *
 * <p>// why: a rendering holds a scan's whole CT and labels in memory; a report page asks for the
 * images of all its scans at once, and unbounded, three of six such requests ran the gateway out
 * of heap. Waiting requests hold no volume, only a thread.
 */
final class RenderingGate {
    private final Semaphore permits;
    private final Duration wait;

    RenderingGate(int atOnce, Duration wait) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("triplane.report.renderings-at-once: at least 1, got " + atOnce);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("triplane.report.rendering-wait: not negative, got " + wait);
        }
        this.permits = new Semaphore(atOnce, true);
        this.wait = wait;
    }

    /** Runs {@code rendering} when a permit is free within the wait, else throws {@link ServiceBusy}. */
    <T> T run(Supplier<T> rendering) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceBusy("overlay", "interrupted while waiting to render report images", retryAfterSeconds());
        }
        if (!acquired) {
            throw new ServiceBusy("overlay", "report images are being rendered for other requests; ask again in "
                    + retryAfterSeconds() + " s", retryAfterSeconds());
        }
        try {
            return rendering.get();
        } finally {
            permits.release();
        }
    }

    /** A rendering takes a few seconds; asking again after the wait has a fair chance. */
    private long retryAfterSeconds() {
        return Math.max(2, wait.toSeconds());
    }
}
