package org.triplane.preprocess.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.triplane.messaging.KafkaSecurity;
import org.triplane.preprocess.messaging.EventConsumer;
import org.triplane.worker.config.KafkaConfig;

/** Ready only while the broker describes its cluster; also reports whether the consumer holds partitions. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    private static final int TIMEOUT_MS = 3000;

    private final AdminClient admin;
    private final EventConsumer consumer;

    public KafkaReadiness(KafkaConfig config, EventConsumer consumer) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        this.admin = AdminClient.create(KafkaSecurity.apply(config.security(), p));
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        boolean up;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            up = true;
        } catch (Exception e) {
            up = false;
        }
        return HealthCheckResponse.named("kafka").status(up).withData("consumerAssigned", consumer.assigned()).build();
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
