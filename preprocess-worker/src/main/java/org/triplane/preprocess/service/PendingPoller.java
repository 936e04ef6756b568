package org.triplane.preprocess.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.triplane.db.tasks.Task;
import org.triplane.preprocess.config.WorkerConfig;
import org.triplane.worker.run.LeaseSweeper;
import org.triplane.worker.run.Periodic;
import org.triplane.worker.run.TaskGuard;
import org.triplane.worker.run.WorkerIdentity;

/**
 * Every {@link WorkerConfig#sweepInterval()}: claims and runs PENDING preprocess tasks until none is
 * left. This is how a preprocess task is redone elsewhere after the {@link LeaseSweeper} took it back
 * from a killed worker: its event was already accepted, so only the task table carries it.
 */
@ApplicationScoped
public class PendingPoller {
    private final TaskLedger ledger;
    private final PreprocessService service;
    private final TaskGuard guard;
    private final WorkerIdentity identity;
    private final WorkerConfig config;
    private Periodic timer;

    public PendingPoller(TaskLedger ledger, PreprocessService service, TaskGuard guard, WorkerIdentity identity,
                         WorkerConfig config) {
        this.ledger = ledger;
        this.service = service;
        this.guard = guard;
        this.identity = identity;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        timer = Periodic.start("preprocess-poller", "poll for pending preprocess tasks", config.sweepInterval(),
                this::runOnce);
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.stop();
        }
    }

    /** One pass: drain the pending preprocess queue. */
    void runOnce() {
        while (!Thread.currentThread().isInterrupted()) {
            Optional<Task> next = ledger.claimNext(identity.id(), guard.leaseSeconds());
            if (next.isEmpty()) {
                return;
            }
            service.run(next.get());
        }
    }
}
