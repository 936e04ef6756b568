package org.triplane.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.triplane.db.Tx;

/**
 * What a service's bean for its outbox relay does, whichever the service: the api-gateway's
 * {@code RelayRunner} and the workers' {@code OutboxRelayRunner} (module {@code worker-support})
 * subclass it as a {@code @Readiness} bean, call {@link #start} from their start-up observer and
 * {@link #stop()} from their shutdown observer. Readiness check {@value RelayService#CHECK}: down
 * before the start and once the relay's loop died. Gauge {@code triplane.outbox.relay.failures}:
 * failed passes in a row. (Its methods are not final: the services' beans are behind client proxies.)
 */
public abstract class RelayHost implements HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(RelayHost.class);

    private volatile RelayService relay;

    /**
     * Starts the relay (or records that this instance runs none) and registers its gauge.
     *
     * @param workerTx         transactions as {@code triplane_worker}
     * @param bootstrapServers Kafka
     * @param clientId         names the relay's producer
     * @param security         how the producer authenticates ({@code triplane.kafka.security.*})
     * @param config           the service's {@code triplane.relay.*}
     * @param metrics          the service's registry
     */
    protected void start(Tx workerTx, String bootstrapServers, String clientId, KafkaSecurity.Settings security,
                         RelayConfig config, MeterRegistry metrics) {
        RelayService started = RelayService.start(workerTx, bootstrapServers, clientId, security, config);
        if (!started.enabled()) {
            log.info("outbox relay disabled in this instance; the other services' relays publish its events");
        }
        Gauge.builder("triplane.outbox.relay.failures", started, RelayService::consecutiveFailures)
                .description("failed outbox relay passes in a row")
                .register(metrics);
        relay = started;
    }

    /** Stops the relay, if it was started. */
    protected void stop() {
        RelayService r = relay;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        RelayService r = relay;
        return r == null
                ? new HealthCheckResponse(RelayService.CHECK, HealthCheckResponse.Status.DOWN, Optional.of(Map.of("started", false)))
                : r.call();
    }
}
