package org.triplane.preprocess.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.triplane.db.Task;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.run.LeaseSweep;
import org.triplane.worker.run.Periodic;
import org.triplane.worker.run.WorkerIdentity;

/**
 * Every {@link WorkerConfig#sweepInterval()}: reclaim expired leases of any kind (see
 * {@link LeaseSweep}: a killed worker's task goes back to PENDING with the next attempt), then claim
 * and run PENDING preprocess tasks until none is left. This is how a preprocess task is redone
 * elsewhere: its event was already accepted, so only the task table carries it.
 */
@ApplicationScoped
public class TaskSweeper {
    private static final int SWEEP_LIMIT = 100;

    private final TaskLedger ledger;
    private final LeaseSweep sweep;
    private final PreprocessService service;
    private final WorkerIdentity identity;
    private final WorkerConfig config;
    private Periodic timer;

    public TaskSweeper(TaskLedger ledger, PreprocessService service, WorkerIdentity identity, WorkerConfig config) {
        this.ledger = ledger;
        this.sweep = ledger.sweep();
        this.service = service;
        this.identity = identity;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        timer = Periodic.start("preprocess-sweeper", "sweep pass", config.sweepInterval(), this::runOnce);
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.stop();
        }
    }

    /** One pass: sweep, then drain the pending preprocess queue. */
    void runOnce() {
        sweep.sweepAndLog(identity.sweeper(), SWEEP_LIMIT);
        while (!Thread.currentThread().isInterrupted()) {
            Optional<Task> next = ledger.claimNext(identity.id(), service.leaseSeconds());
            if (next.isEmpty()) {
                return;
            }
            service.run(next.get());
        }
    }
}
