package org.triplane.preprocess.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.triplane.worker.config.RetryConfig;

/** How the worker takes, holds and retries work. Defaults suit the local stack. */
@ConfigMapping(prefix = "triplane.preprocess")
public interface WorkerConfig {

    /** This worker's identity in the task table and transition log; default {@code preprocess@<host>:<pid>}. */
    Optional<String> workerId();

    /** Kafka consumer group shared by every preprocess-worker instance. */
    @WithDefault("triplane-preprocess-worker")
    String consumerGroup();

    /** Consumer name recorded in {@code processed_events} and in dead letters. */
    @WithDefault("preprocess-worker")
    String consumerName();

    /** Lease on a claimed task; a worker that stops heartbeating loses it after this long. */
    @WithDefault("30s")
    Duration lease();

    /** Interval between heartbeats, well within {@link #lease()}. */
    @WithDefault("10s")
    Duration heartbeat();

    /** How often the sweeper reclaims expired leases and the poller claims pending preprocess tasks. */
    @WithDefault("2s")
    Duration sweepInterval();

    /** Threads for rotation (resampling). */
    @WithDefault("2")
    int resampleThreads();

    /** Threads for the atlas registration every scan goes through (results do not depend on it). */
    @WithDefault("2")
    int registrationThreads();

    /**
     * Lowest accepted registration quality (normalised cross-correlation between the scan and the
     * fitted atlas inside the head, −1..1); a scan below it fails its job. The imaging core's
     * default, measured on synthetic head CTs (0.985–0.993) against MR-like heads (at most 0.78).
     */
    @WithDefault("0.85")
    double registrationMinQuality();

    /**
     * Whether the registration goes on past the affine map to the deformable stage (a few seconds
     * per scan on 2 cores), stored with the scan's registration for model sets whose atlas inputs
     * follow it; without it such model sets cannot run on the scan.
     */
    @WithDefault("true")
    boolean registrationDeformable();

    /** Bounded retry of transient failures (object store or database briefly down). */
    RetryConfig retry();

    /** Test-only: pause this long after claiming a task, to make a run easy to interrupt. Zero in production. */
    @WithDefault("0s")
    Duration testDelayAfterClaim();
}
