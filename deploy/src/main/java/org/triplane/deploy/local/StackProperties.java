package org.triplane.deploy.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code <data>/stack.properties}: how to reach the running stack, written by every {@code up},
 * for services and tests to read (they need not know the ports or the local credentials). A
 * stack of {@linkplain StackConfig#infrastructureOnly() the servers only} writes no service URLs
 * (and keeps, but never creates, the gateway's admin token).
 */
public final class StackProperties {
    public static final String POSTGRES_URL = "postgres.url";
    public static final String POSTGRES_USER = "postgres.user";
    public static final String POSTGRES_PASSWORD = "postgres.password";
    /** {@code true} when PostgreSQL is a configured server the stack does not run. */
    public static final String POSTGRES_EXTERNAL = "postgres.external";
    public static final String KAFKA_BOOTSTRAP = "kafka.bootstrap";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";
    public static final String S3_REGION = "s3.region";
    public static final String S3_BUCKET = "s3.bucket";
    public static final String GATEWAY_URL = "gateway.url";
    /** The gateway's {@code X-Admin-Token}: generated on the first {@code up} of a data directory, then kept. */
    public static final String GATEWAY_ADMIN_TOKEN = "gateway.admin-token";
    public static final String WORKER_URL = "preprocess-worker.url";
    public static final String GPU_WORKER_URL = "gpu-worker.url";
    public static final String FUSION_WORKER_URL = "fusion-worker.url";

    private StackProperties() {
    }

    /** The entries for a configuration and the gateway's admin token ({@code null}: none), in file order. */
    public static Map<String, String> of(StackConfig config, String adminToken) {
        Map<String, String> m = of(config);
        if (adminToken != null) {
            m.put(GATEWAY_ADMIN_TOKEN, adminToken);
        }
        return m;
    }

    /** The entries for a configuration, in file order (no admin token). */
    public static Map<String, String> of(StackConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(POSTGRES_URL, config.jdbcUrl());
        m.put(POSTGRES_USER, config.postgresUser());
        m.put(POSTGRES_PASSWORD, config.postgresPassword());
        m.put(POSTGRES_EXTERNAL, Boolean.toString(config.externalPostgresUrl().isPresent()));
        m.put(KAFKA_BOOTSTRAP, config.kafkaBootstrap());
        m.put(S3_ENDPOINT, config.s3Endpoint());
        m.put(S3_ACCESS_KEY, config.s3AccessKey());
        m.put(S3_SECRET_KEY, config.s3SecretKey());
        m.put(S3_REGION, StackConfig.S3_REGION);
        m.put(S3_BUCKET, StackConfig.BUCKET);
        if (!config.infrastructureOnly()) {
            m.put(GATEWAY_URL, config.gatewayUrl());
            m.put(WORKER_URL, config.workerUrl());
            m.put(GPU_WORKER_URL, config.gpuWorkerUrl());
            m.put(FUSION_WORKER_URL, config.fusionWorkerUrl());
        }
        return m;
    }

    static void write(StackConfig config, String adminToken) throws IOException {
        PropertiesFile.write(config.propertiesFile(),
                "How to reach the triplane local stack; written by `triplane stack up`.\n"
                        + "Local credentials only: every server listens on " + StackConfig.HOST + ".",
                of(config, adminToken));
    }

    /** Reads {@code <dataDir>/stack.properties}. */
    public static Properties read(Path dataDir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve("stack.properties"))) {
            p.load(in);
        }
        return p;
    }
}
