package org.triplane.gateway.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.messaging.KafkaSecurity;

/** Ready when the Kafka cluster describes itself within three seconds. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Inject
    GatewayConfig config;

    private Admin admin;

    private synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, config.kafka().clientId() + "-health");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            admin = Admin.create(KafkaSecurity.apply(config.kafka().security(), p));
        }
        return admin;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("kafka").up().withData("brokers", nodes).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("kafka").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
