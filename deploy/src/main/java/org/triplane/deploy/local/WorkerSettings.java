package org.triplane.deploy.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings every worker service (preprocess-, gpu- and fusion-worker) takes from the stack:
 * the job database as the worker role, the Kafka bootstrap and the object store. The worker
 * role's login is enabled by the gateway's migration, so the workers start after the gateway.
 */
final class WorkerSettings {
    private WorkerSettings() {
    }

    /** The {@code -Dkey=value} settings, in command-line order. */
    static Map<String, String> of(StackConfig config) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("quarkus.datasource.jdbc.url", config.jdbcUrl());
        s.put("quarkus.datasource.password", StackConfig.LOCAL_WORKER_DB_PASSWORD);
        s.put("triplane.kafka.bootstrap", config.kafkaBootstrap());
        s.put("triplane.s3.endpoint", config.s3Endpoint());
        s.put("triplane.s3.access-key", config.s3AccessKey());
        s.put("triplane.s3.secret-key", config.s3SecretKey());
        s.put("triplane.s3.region", StackConfig.S3_REGION);
        s.put("triplane.s3.bucket", StackConfig.BUCKET);
        return s;
    }
}
