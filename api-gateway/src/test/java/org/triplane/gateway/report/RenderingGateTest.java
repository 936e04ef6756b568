package org.triplane.gateway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.triplane.gateway.service.ServiceBusy;

/** Renderings beyond the limit wait their turn for a while, then are refused with a time to come back. */
class RenderingGateTest {

    @Test
    void aRenderingThatCannotStartInTimeIsRefusedAndTheNextOneAfterTheSlotFreesRuns() throws Exception {
        RenderingGate gate = new RenderingGate(1, Duration.ofMillis(200));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> first = pool.submit(() -> gate.run(() -> {
                inside.countDown();
                await(release);
                return "first";
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS), "the first rendering started");

            ServiceBusy busy = assertThrows(ServiceBusy.class, () -> gate.run(() -> "second"));
            assertEquals("overlay", busy.part());
            assertTrue(busy.retryAfterSeconds() >= 1, "Retry-After " + busy.retryAfterSeconds());

            release.countDown();
            assertEquals("first", first.get(10, TimeUnit.SECONDS));
            assertEquals("third", gate.run(() -> "third"), "the slot is free again");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedRenderingGivesItsSlotBack() {
        RenderingGate gate = new RenderingGate(1, Duration.ZERO);
        assertThrows(IllegalStateException.class, () -> gate.run(() -> {
            throw new IllegalStateException("the object store is down");
        }));
        assertEquals("after", gate.run(() -> "after"));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RenderingGate(0, Duration.ofSeconds(1)));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
