package org.triplane.worker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * What every worker's own settings ({@code triplane.<worker>.*}) hold for the shared worker kit: its
 * identity, consumer group, lease, sweep and retry. Each worker's {@code @ConfigMapping} extends it,
 * names its identity's prefix ({@link #idPrefix()}) and redeclares a setting only to give it another
 * default. Quarkus registers a config mapping's bean under every interface it extends, so the kit's
 * beans ({@link org.triplane.worker.run.WorkerBeans}) inject this type and find the worker's mapping.
 */
public interface WorkerSettings {

    /**
     * The short name that starts this worker's default id ({@code gpu} for {@code gpu@<host>:<pid>});
     * a worker's mapping implements it as a default method, so it is not a setting.
     */
    String idPrefix();

    /** This worker's identity in the task table and transition log; default {@code <id-prefix>@<host>:<pid>}. */
    Optional<String> workerId();

    /** Kafka consumer group shared by every instance of the worker; default {@code triplane-<application name>}. */
    @WithDefault("triplane-${quarkus.application.name}")
    String consumerGroup();

    /** Consumer name recorded in {@code processed_events} and in dead letters; default the application's name. */
    @WithDefault("${quarkus.application.name}")
    String consumerName();

    /** Lease on a claimed task; a worker that stops heartbeating loses it after this long. */
    @WithDefault("60s")
    Duration lease();

    /** Interval between heartbeats, well within {@link #lease()}. */
    @WithDefault("15s")
    Duration heartbeat();

    /** How often this worker sweeps expired leases of any task (several sweepers at once are safe). */
    @WithDefault("10s")
    Duration sweepInterval();

    /** Bounded retry of transient failures (object store or database briefly down). */
    RetryConfig retry();

    /** Test-only: pause this long after claiming a task, to make a run easy to interrupt. Zero in production. */
    @WithDefault("0s")
    Duration testDelayAfterClaim();
}
