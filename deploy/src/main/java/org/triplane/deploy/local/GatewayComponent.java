package org.triplane.deploy.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The api-gateway: the REST API and an outbox relay (every service runs one). It migrates the schema at start (as the
 * database owner) and gives the service roles login, so it starts once PostgreSQL, Kafka and the
 * object store are ready, and before the workers. Its admin token is {@code stack.properties}'
 * {@value StackProperties#GATEWAY_ADMIN_TOKEN}.
 */
final class GatewayComponent extends QuarkusService {
    static final String NAME = "gateway";

    GatewayComponent(StackConfig config) {
        super(config, NAME, "api-gateway");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected String maxHeap() {
        return StackConfig.GATEWAY_MAX_HEAP;
    }

    @Override
    public List<Ports.Use> ports() {
        return List.of(new Ports.Use(NAME, "HTTP", config.gatewayPort(), "-Dtriplane.gateway.port=N or TRIPLANE_GATEWAY_PORT=N"));
    }

    @Override
    protected Map<String, String> settings() {
        String token = AdminToken.read(config);
        if (token == null || token.isBlank()) {
            throw new StackException(NAME, "no admin token in " + config.propertiesFile() + "; run `stack up` again");
        }
        Map<String, String> s = new LinkedHashMap<>();
        s.put("triplane.database.url", config.jdbcUrl());
        s.put("triplane.database.migrate-at-start", "true");
        s.put("triplane.database.owner-user", config.postgresUser());
        s.put("triplane.database.owner-password", config.postgresPassword());
        s.put("triplane.database.app-password", StackConfig.LOCAL_APP_DB_PASSWORD);
        s.put("triplane.database.worker-password", StackConfig.LOCAL_WORKER_DB_PASSWORD);
        s.put("triplane.object-store.endpoint", config.s3Endpoint());
        s.put("triplane.object-store.access-key", config.s3AccessKey());
        s.put("triplane.object-store.secret-key", config.s3SecretKey());
        s.put("triplane.object-store.region", StackConfig.S3_REGION);
        s.put("triplane.object-store.bucket", StackConfig.BUCKET);
        s.put("triplane.kafka.bootstrap-servers", config.kafkaBootstrap());
        s.put("triplane.admin.token", token);
        config.defaultModelSet().ifPresent(p -> s.put("triplane.default-model-set.path", p.toString()));
        return s;
    }

    @Override
    protected String url() {
        return config.gatewayUrl();
    }

    @Override
    protected String readyMessage() {
        return "ready at " + config.gatewayUrl() + " (schema migrated; admin token in " + config.propertiesFile() + ")";
    }

    @Override
    protected int primaryPort() {
        return config.gatewayPort();
    }

    @Override
    protected Map<String, Object> endpoints() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", config.gatewayUrl());
        return m;
    }
}
