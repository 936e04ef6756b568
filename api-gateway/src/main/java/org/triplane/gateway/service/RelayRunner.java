package org.triplane.gateway.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.messaging.OutboxRelay;
import org.triplane.messaging.RelaySettings;
import org.triplane.messaging.ReliableProducer;

/**
 * Runs the outbox relay inside the gateway from start-up to shutdown, so the events of committed
 * jobs reach Kafka (and those of rolled-back ones never do). Several gateway instances may each run
 * one. Exposes {@code triplane.outbox.relay.failures} (failed passes in a row).
 */
@ApplicationScoped
public class RelayRunner {

    private static final Logger LOG = Logger.getLogger(RelayRunner.class);

    private Producer<String, String> producer;
    private OutboxRelay relay;

    void onStart(@Observes @Priority(20) StartupEvent event, GatewayConfig config, Databases db, MeterRegistry metrics) {
        GatewayConfig.Relay r = config.relay();
        if (!r.enabled()) {
            LOG.info("outbox relay disabled in this instance");
            return;
        }
        producer = ReliableProducer.create(config.kafka().bootstrapServers(), config.kafka().clientId(), config.kafka().security());
        relay = new OutboxRelay(db.worker(), db.store(), producer,
                new RelaySettings(r.batchSize(), r.sendTimeout(), r.idleDelay(), r.minBackoff(), r.maxBackoff()));
        Gauge.builder("triplane.outbox.relay.failures", relay, OutboxRelay::consecutiveFailures)
                .description("failed outbox relay passes in a row")
                .register(metrics);
        relay.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** @return the relay, or {@code null} when disabled */
    public OutboxRelay relay() {
        return relay;
    }
}
