package org.triplane.fusion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.triplane.worker.config.RetryConfig;

/** How the fusion-worker takes, holds and runs fusion tasks. Defaults suit the local stack. */
@ConfigMapping(prefix = "triplane.fusion")
public interface FusionWorkerConfig {

    /** This worker's identity in the task table and transition log; default {@code fusion@<host>:<pid>}. */
    Optional<String> workerId();

    /** Kafka consumer group shared by every fusion-worker instance. */
    @WithDefault("triplane-fusion-worker")
    String consumerGroup();

    /** Consumer name recorded in dead letters and in the processed-events table. */
    @WithDefault("fusion-worker")
    String consumerName();

    /** Lease on a claimed task; a worker that stops heartbeating loses it after this long. */
    @WithDefault("60s")
    Duration lease();

    /** Interval between heartbeats, well within {@link #lease()}. */
    @WithDefault("15s")
    Duration heartbeat();

    /** How often this worker sweeps expired leases of any task (several sweepers are safe). */
    @WithDefault("10s")
    Duration sweepInterval();

    /**
     * How often this worker looks for PENDING fusion tasks that no event will announce again (requeued
     * after a worker died, or created by a worker that died before claiming them).
     */
    @WithDefault("5s")
    Duration pollInterval();

    /** Threads for voting, mapping onto the acquired grid and counting metrics. */
    @WithDefault("2")
    int threads();

    /** Bounded retry of transient failures. */
    RetryConfig retry();

    /** Test-only: pause this long after claiming a task, to make a run easy to interrupt. Zero in production. */
    @WithDefault("0s")
    Duration testDelayAfterClaim();
}
