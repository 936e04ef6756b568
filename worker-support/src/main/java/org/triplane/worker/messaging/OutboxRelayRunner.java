package org.triplane.worker.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import org.triplane.db.Database;
import org.triplane.messaging.RelayConfig;
import org.triplane.messaging.RelayService;
import org.triplane.worker.config.KafkaConfig;

/**
 * Runs the worker's outbox relay ({@link RelayService}) from start-up to shutdown, over the whole
 * outbox: the rows this worker commits (plane tasks, plane results, dead letters, requeued tasks)
 * and any other service's, so a job goes on while the gateway, or any one service, is down. The
 * worker's pool logs in as {@code triplane_worker}, the role that may read the outbox. Readiness
 * check {@code outbox-relay}: down once the relay's loop died. Exposes
 * {@code triplane.outbox.relay.failures} (failed passes in a row).
 */
@Readiness
@ApplicationScoped
public class OutboxRelayRunner implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(OutboxRelayRunner.class);

    /** {@code triplane.relay.*} of a worker; names and defaults in {@link RelayConfig}. */
    @ConfigMapping(prefix = "triplane.relay")
    public interface WorkerRelayConfig extends RelayConfig {
    }

    private volatile RelayService relay;

    void onStart(@Observes StartupEvent event, DataSource dataSource, KafkaConfig kafka, WorkerRelayConfig config,
                 @ConfigProperty(name = "quarkus.application.name") String application, MeterRegistry metrics) {
        relay = RelayService.start(Database.of(dataSource).tx(), kafka.bootstrap(), "triplane-" + application + "-relay", config);
        if (!relay.enabled()) {
            LOG.info("outbox relay disabled in this instance; the other services' relays publish its events");
        }
        Gauge.builder("triplane.outbox.relay.failures", relay, RelayService::consecutiveFailures)
                .description("failed outbox relay passes in a row")
                .register(metrics);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        return RelayService.readinessOf(relay);
    }
}
