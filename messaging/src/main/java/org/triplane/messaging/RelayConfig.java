package org.triplane.messaging;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How a service runs its outbox relay ({@code triplane.relay.*} in every service): the one place of
 * the settings' names and defaults. A service maps it with {@code @ConfigMapping(prefix =
 * "triplane.relay")} on an interface extending this one (the gateway as a group of its own
 * configuration); the annotations are read only by Quarkus, so plain-Java users need no config
 * library.
 */
public interface RelayConfig {

    /** @return whether this service instance runs a relay (any number of instances may) */
    @WithDefault("true")
    boolean enabled();

    /** @return most rows per transaction */
    @WithDefault("100")
    int batchSize();

    /** @return longest wait for the broker's acknowledgements of one batch */
    @WithDefault("30s")
    Duration sendTimeout();

    /** @return pause after a pass that found nothing */
    @WithDefault("200ms")
    Duration idleDelay();

    /** @return first pause after a failure, doubled per consecutive failure */
    @WithDefault("500ms")
    Duration minBackoff();

    /** @return longest pause after failures */
    @WithDefault("30s")
    Duration maxBackoff();

    /** @return the pacing above, validated (an error names the setting that is wrong) */
    default RelaySettings settings() {
        return new RelaySettings(batchSize(), sendTimeout(), idleDelay(), minBackoff(), maxBackoff());
    }
}
