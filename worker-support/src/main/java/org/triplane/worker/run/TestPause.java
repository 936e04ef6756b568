package org.triplane.worker.run;

import java.time.Duration;

/**
 * The test-only pause after a claim, which makes a run easy to interrupt (a worker killed while it
 * holds a lease); zero, and so no pause, in production.
 */
public final class TestPause {
    private TestPause() {
    }

    /** Sleeps {@code delay} when it is positive; an interrupt ends the pause early and stays set. */
    public static void after(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
