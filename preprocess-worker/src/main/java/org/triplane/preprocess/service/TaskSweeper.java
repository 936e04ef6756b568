package org.triplane.preprocess.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.triplane.db.ReclaimedTask;
import org.triplane.db.Task;
import org.triplane.preprocess.config.WorkerConfig;

/**
 * Every {@link WorkerConfig#sweepInterval()}: reclaim expired leases (a killed worker's task goes
 * back to PENDING with the next attempt), then claim and run PENDING preprocess tasks until none
 * is left. This is how a task is redone elsewhere: its event was already accepted, so only the
 * task table carries it.
 */
@ApplicationScoped
public class TaskSweeper {
    private static final Logger LOG = Logger.getLogger(TaskSweeper.class);
    private static final int SWEEP_LIMIT = 100;

    private final TaskLedger ledger;
    private final PreprocessService service;
    private final WorkerIdentity identity;
    private final WorkerConfig config;
    private ScheduledExecutorService timer;

    public TaskSweeper(TaskLedger ledger, PreprocessService service, WorkerIdentity identity, WorkerConfig config) {
        this.ledger = ledger;
        this.service = service;
        this.identity = identity;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "preprocess-sweeper"));
        long ms = config.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** One pass: sweep, then drain the pending preprocess queue. */
    public void runOnce() {
        try {
            List<ReclaimedTask> reclaimed = ledger.sweep(identity.id() + "/sweeper", SWEEP_LIMIT);
            for (ReclaimedTask r : reclaimed) {
                LOG.infof("reclaimed %s task %s from %s: %s", r.task().kind(), r.task().id(), r.previousWorker(), r.task().state());
            }
            while (!Thread.currentThread().isInterrupted()) {
                Optional<Task> next = ledger.claimNext(identity.id(), service.leaseSeconds());
                if (next.isEmpty()) {
                    return;
                }
                service.run(next.get());
            }
        } catch (RuntimeException e) {
            LOG.warnf("sweep pass failed, next one in %s: %s", config.sweepInterval(), e.getMessage());
        }
    }
}
