package org.triplane.worker.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.db.Database;
import org.triplane.messaging.RelayConfig;
import org.triplane.messaging.RelayHost;
import org.triplane.worker.config.KafkaConfig;

/**
 * Runs the worker's outbox relay (messaging's {@code RelayService}) from start-up to shutdown, over the whole
 * outbox: the rows this worker commits (plane tasks, plane results, dead letters, requeued tasks)
 * and any other service's, so a job goes on while the gateway, or any one service, is down. The
 * worker's pool logs in as {@code triplane_worker}, the role that may read the outbox. Readiness
 * check {@code outbox-relay} and gauge {@code triplane.outbox.relay.failures}: see {@link RelayHost}.
 */
@Readiness
@ApplicationScoped
public class OutboxRelayRunner extends RelayHost {

    /** {@code triplane.relay.*} of a worker; names and defaults in {@link RelayConfig}. */
    @ConfigMapping(prefix = "triplane.relay")
    public interface WorkerRelayConfig extends RelayConfig {
    }

    void onStart(@Observes StartupEvent event, DataSource dataSource, KafkaConfig kafka, WorkerRelayConfig config,
                 @ConfigProperty(name = "quarkus.application.name") String application, MeterRegistry metrics) {
        start(Database.of(dataSource).tx(), kafka.bootstrap(), "triplane-" + application + "-relay", kafka.security(), config,
                metrics);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }
}
