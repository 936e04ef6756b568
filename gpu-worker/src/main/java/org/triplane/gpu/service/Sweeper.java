package org.triplane.gpu.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.triplane.gpu.config.GpuWorkerConfig;
import org.triplane.worker.run.LeaseSweep;
import org.triplane.worker.run.Periodic;
import org.triplane.worker.run.WorkerIdentity;

/**
 * Every {@link GpuWorkerConfig#sweepInterval()}: reclaims expired leases of any task (see {@link LeaseSweep}),
 * so that the task of a worker killed mid-run is requeued, and announced again, even where no other
 * service sweeps. Several sweepers at once are safe.
 */
@ApplicationScoped
public class Sweeper {
    private static final int SWEEP_LIMIT = 100;

    private final LeaseSweep sweep;
    private final GpuWorkerConfig config;
    private final WorkerIdentity identity;
    private Periodic timer;

    public Sweeper(GpuLedger ledger, GpuWorkerConfig config, WorkerIdentity identity) {
        this.sweep = ledger.sweep();
        this.config = config;
        this.identity = identity;
    }

    void start(@Observes StartupEvent ignored) {
        timer = Periodic.start("gpu-sweeper", "sweep pass", config.sweepInterval(),
                () -> sweep.sweepAndLog(identity.sweeper(), SWEEP_LIMIT));
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        if (timer != null) {
            timer.stop();
        }
    }
}
