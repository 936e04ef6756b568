package org.triplane.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.triplane.db.Tx;

/**
 * The outbox relay of one service, from its start to its shutdown: its own reliable producer and
 * an {@link OutboxRelay} loop. Every service that commits outbox rows runs one (the api-gateway,
 * the preprocess-, gpu- and fusion-workers), so the events a service commits reach Kafka while any
 * one service is up, the gateway included or not; the claim keeps concurrent relays on disjoint
 * rows and per-key order (see {@link OutboxRelay}).
 *
 * <p>Services run it through a {@link RelayHost} bean.
 *
 * <p>As a readiness check it is down once the loop died (it then publishes nothing until the
 * service restarts); failed passes alone (the broker briefly away) leave it up, with their count.
 */
public final class RelayService implements HealthCheck, AutoCloseable {

    /** Name of the readiness check. */
    public static final String CHECK = "outbox-relay";

    private final Producer<String, String> producer;
    private final OutboxRelay relay;

    /** @param producer the relay's own, closed with it @param relay started by the caller; both {@code null} when disabled */
    RelayService(Producer<String, String> producer, OutboxRelay relay) {
        this.producer = producer;
        this.relay = relay;
    }

    /**
     * Starts the relay in the background, or nothing when {@code config} disables it.
     *
     * @param workerTx         transactions as {@code triplane_worker} (the app role may not read the outbox)
     * @param bootstrapServers Kafka, {@code host:port[,host:port]}
     * @param clientId         names the producer in broker logs and metrics
     * @param config           whether and how fast
     * @return the running relay; close it at shutdown
     */
    public static RelayService start(Tx workerTx, String bootstrapServers, String clientId, KafkaSecurity.Settings security,
                                     RelayConfig config) {
        Objects.requireNonNull(workerTx, "workerTx");
        if (!config.enabled()) {
            return new RelayService(null, null);
        }
        RelaySettings settings = config.settings();
        Producer<String, String> producer = ReliableProducer.create(bootstrapServers, clientId, security);
        OutboxRelay relay = new OutboxRelay(workerTx, producer, settings);
        relay.start();
        return new RelayService(producer, relay);
    }

    /** @return whether this service runs a relay */
    public boolean enabled() {
        return relay != null;
    }

    /** @return failed passes in a row (0 after a successful one, and when disabled) */
    public int consecutiveFailures() {
        return relay == null ? 0 : relay.consecutiveFailures();
    }

    @Override
    public HealthCheckResponse call() {
        // why the constructor, not HealthCheckResponse.named(): the builder needs the runtime's provider, the constructor nothing
        if (relay == null) {
            return new HealthCheckResponse(CHECK, HealthCheckResponse.Status.UP, Optional.of(Map.of("enabled", false)));
        }
        Throwable died = relay.died();
        if (died != null) {
            return new HealthCheckResponse(CHECK, HealthCheckResponse.Status.DOWN, Optional.of(Map.of("died", String.valueOf(died))));
        }
        return new HealthCheckResponse(CHECK, HealthCheckResponse.Status.UP,
                Optional.of(Map.of("consecutiveFailures", relay.consecutiveFailures())));
    }

    /** Stops the loop (waiting up to the send timeout for the current pass), then the producer. */
    @Override
    public void close() {
        if (relay != null) {
            relay.close();
            producer.close(Duration.ofSeconds(5));
        }
    }
}
