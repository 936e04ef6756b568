package org.triplane.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lock-out after the last allowed failure in a window, release when it ends, and memory that stays bounded. */
class FailureCounterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void theThirdFailureInAWindowLocksTheKeyOutUntilTheWindowEndsAndOthersAreNotTouched() {
        FailureCounter c = new FailureCounter(3, Duration.ofSeconds(60), 100, now::get);
        c.failed("10.0.0.1");
        c.failed("10.0.0.1");
        assertTrue(c.lockedFor("10.0.0.1").isEmpty(), "two failures are allowed");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        c.failed("10.0.0.1");
        assertEquals(Duration.ofSeconds(50), c.lockedFor("10.0.0.1").orElseThrow(), "locked for what is left of the window");
        assertTrue(c.lockedFor("10.0.0.2").isEmpty());

        now.addAndGet(Duration.ofSeconds(50).toNanos());
        assertTrue(c.lockedFor("10.0.0.1").isEmpty(), "free again when the window has passed");
        c.failed("10.0.0.1");
        assertTrue(c.lockedFor("10.0.0.1").isEmpty(), "a new window starts with one failure");
    }

    @Test
    void failuresSpreadOverWindowsNeverLockAKeyOut() {
        FailureCounter c = new FailureCounter(3, Duration.ofSeconds(60), 100, now::get);
        for (int i = 0; i < 10; i++) {
            c.failed("client");
            c.failed("client");
            assertTrue(c.lockedFor("client").isEmpty(), "window " + i);
            now.addAndGet(Duration.ofSeconds(61).toNanos());
        }
    }

    @Test
    void millionsOfAddressesKeepOnlyTheNewestWindows() {
        FailureCounter c = new FailureCounter(2, Duration.ofSeconds(60), 1000, now::get);
        for (int i = 0; i < 100_000; i++) {
            c.failed("addr-" + i);
            c.failed("addr-" + i);
        }
        assertEquals(1000, c.size());
        assertTrue(c.lockedFor("addr-99999").isPresent(), "the newest are kept");
        assertFalse(c.lockedFor("addr-0").isPresent(), "the eldest were forgotten");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        c.failed("late");
        assertEquals(1, c.size(), "expired windows go when a new one starts");
    }
}
