package org.triplane.fusion.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.triplane.db.tasks.Task;
import org.triplane.fusion.config.FusionWorkerConfig;
import org.triplane.worker.run.Periodic;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * Every {@link FusionWorkerConfig#pollInterval()}: claims PENDING fusion tasks of any tenant, oldest
 * first, and runs them. No event announces such a task again: it was requeued by a sweeper after its
 * worker died, or its worker died between creating and claiming it. Only when this worker's fusion
 * slot is free, so the poller never queues behind the event consumer with a lease running.
 */
@ApplicationScoped
public class PendingPoller {
    private static final Logger LOG = Logger.getLogger(PendingPoller.class);

    private final FusionLedger ledger;
    private final FusionService fusion;
    private final FusionSlot slot;
    private final TaskGuard guard;
    private final FusionWorkerConfig config;
    private final String worker;
    private Periodic timer;

    public PendingPoller(FusionLedger ledger, FusionService fusion, FusionSlot slot, TaskGuard guard,
                         FusionWorkerConfig config, WorkerIdentity identity) {
        this.ledger = ledger;
        this.fusion = fusion;
        this.slot = slot;
        this.guard = guard;
        this.config = config;
        this.worker = identity.id();
    }

    void start(@Observes StartupEvent ignored) {
        timer = Periodic.start("fusion-poller", "poll for pending fusion tasks", config.pollInterval(), this::runOnce);
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.stop();
        }
    }

    private void runOnce() {
        while (slot.tryAcquire()) {
            try {
                Optional<Task> claimed = ledger.claimNext(worker, guard.leaseSeconds());
                if (claimed.isEmpty()) {
                    return;
                }
                LOG.infof("claimed pending fusion task %s (attempt %d)", claimed.get().id(), claimed.get().attempt());
                fusion.run(claimed.get());
            } finally {
                slot.release();
            }
        }
    }
}
