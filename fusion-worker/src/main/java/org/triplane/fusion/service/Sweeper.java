package org.triplane.fusion.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.triplane.fusion.config.FusionWorkerConfig;
import org.triplane.worker.run.LeaseSweep;
import org.triplane.worker.run.Periodic;
import org.triplane.worker.run.WorkerIdentity;

/**
 * Every {@link FusionWorkerConfig#sweepInterval()}: reclaims expired leases of any task (see {@link LeaseSweep}),
 * so that the task of a worker killed mid-run is requeued, and announced again, even where no other
 * service sweeps. Several sweepers at once are safe.
 */
@ApplicationScoped
public class Sweeper {
    private static final int SWEEP_LIMIT = 100;

    private final LeaseSweep sweep;
    private final FusionWorkerConfig config;
    private final WorkerIdentity identity;
    private Periodic timer;

    public Sweeper(FusionLedger ledger, FusionWorkerConfig config, WorkerIdentity identity) {
        this.sweep = ledger.sweep();
        this.config = config;
        this.identity = identity;
    }

    void start(@Observes StartupEvent ignored) {
        timer = Periodic.start("fusion-sweeper", "sweep pass", config.sweepInterval(),
                () -> sweep.sweepAndLog(identity.sweeper(), SWEEP_LIMIT));
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.stop();
        }
    }
}
