package org.triplane.fusion.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;

/**
 * One fusion at a time per worker process: a study-size scan holds several hundred MB of volumes
 * while it is fused, and the event consumer and the pending-task poller must not both run one.
 * A task is claimed only after the slot is held, so no lease runs out while a claim waits.
 */
@ApplicationScoped
public class FusionSlot {
    private final Semaphore permit = new Semaphore(1, true);

    /** Waits for the slot. */
    public void acquire() throws InterruptedException {
        permit.acquire();
    }

    /** @return whether the slot was free and is now held */
    public boolean tryAcquire() {
        return permit.tryAcquire();
    }

    public void release() {
        permit.release();
    }
}
