package org.triplane.fusion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.triplane.worker.config.WorkerSettings;

/**
 * How the fusion-worker takes, holds and runs fusion tasks. Defaults suit the local stack; what every
 * worker has (identity, consumer group, lease, sweep, retry) is in {@link WorkerSettings}.
 */
@ConfigMapping(prefix = "triplane.fusion")
public interface FusionWorkerConfig extends WorkerSettings {

    /** Default id {@code fusion@<host>:<pid>}. */
    @Override
    default String idPrefix() {
        return "fusion";
    }

    /**
     * How often this worker looks for PENDING fusion tasks that no event will announce again (requeued
     * after a worker died, or created by a worker that died before claiming them).
     */
    @WithDefault("5s")
    Duration pollInterval();

    /** Threads for voting, mapping onto the acquired grid and counting metrics. */
    @WithDefault("2")
    int threads();
}
