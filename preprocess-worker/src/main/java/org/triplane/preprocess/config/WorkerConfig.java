package org.triplane.preprocess.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.triplane.worker.config.WorkerSettings;

/**
 * How the worker takes, holds and retries work. Defaults suit the local stack. What every worker has
 * (identity, consumer group and name, retry, the test pause) is in {@link WorkerSettings}; a
 * preprocess task is short, so its lease, heartbeat and sweep are shorter than the other workers'.
 */
@ConfigMapping(prefix = "triplane.preprocess")
public interface WorkerConfig extends WorkerSettings {

    /** Default id {@code preprocess@<host>:<pid>}. */
    @Override
    default String idPrefix() {
        return "preprocess";
    }

    @Override
    @WithDefault("30s")
    Duration lease();

    @Override
    @WithDefault("10s")
    Duration heartbeat();

    /** How often the sweeper reclaims expired leases and the poller claims pending preprocess tasks. */
    @Override
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
}
