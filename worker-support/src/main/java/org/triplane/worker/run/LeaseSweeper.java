package org.triplane.worker.run;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.triplane.worker.config.WorkerSettings;

/**
 * Every {@link WorkerSettings#sweepInterval()}: reclaims expired leases of any task ({@link LeaseSweep}), so
 * that the task of a worker killed mid-run is requeued, and announced again, even where no other
 * service sweeps. Every worker runs one; several sweepers at once are safe.
 */
@ApplicationScoped
public class LeaseSweeper {
    private static final int SWEEP_LIMIT = 100;

    private final LeaseSweep sweep;
    private final WorkerSettings settings;
    private final WorkerIdentity identity;
    private Periodic timer;

    public LeaseSweeper(LeaseSweep sweep, WorkerSettings settings, WorkerIdentity identity) {
        this.sweep = sweep;
        this.settings = settings;
        this.identity = identity;
    }

    void start(@Observes StartupEvent ignored) {
        timer = Periodic.start(settings.idPrefix() + "-sweeper", "sweep pass", settings.sweepInterval(),
                () -> sweep.sweepAndLog(identity.sweeper(), SWEEP_LIMIT));
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.stop();
        }
    }
}
