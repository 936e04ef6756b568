package org.triplane.deploy.local;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PostgreSQL server the stack does not run ({@code TRIPLANE_PG_URL}): {@code up} only checks
 * that it answers, {@code down} leaves it alone. Its database must exist.
 */
final class ExternalPostgresComponent implements Component {
    private final String url;
    private final PostgresProbe probe;

    ExternalPostgresComponent(StackConfig config) {
        this.url = config.externalPostgresUrl().orElseThrow();
        this.probe = new PostgresProbe(config.postgresUser(), config.postgresPassword());
    }

    @Override
    public String name() {
        return PostgresComponent.NAME;
    }

    @Override
    public List<Ports.Use> ports() {
        return List.of();
    }

    @Override
    public boolean managed() {
        return false;
    }

    @Override
    public Path log() {
        return null;
    }

    @Override
    public Optional<ProcessHandle> running() {
        return Optional.empty();
    }

    @Override
    public void preflight() {
        // nothing to start
    }

    @Override
    public long start(StartContext ctx) {
        throw new UnsupportedOperationException("the stack does not start an external PostgreSQL server");
    }

    @Override
    public void awaitReady(StartContext ctx) {
        ctx.readiness(name(), null).await("a JDBC connection (SELECT 1) to the configured server " + url,
                () -> probe.selectOne(url));
        ctx.progress(name(), "ready at " + url + " (external)");
    }

    @Override
    public DownResult.Stopped stop() {
        return new DownResult.Stopped(name(), DownResult.Outcome.EXTERNAL, null, Duration.ZERO);
    }

    @Override
    public ComponentStatus status() {
        boolean up;
        try {
            probe.selectOne(url);
            up = true;
        } catch (SQLException e) {
            up = false;
        }
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put("url", url);
        endpoints.put("external", true);
        return new ComponentStatus(name(), up ? ComponentStatus.State.RUNNING : ComponentStatus.State.UNREACHABLE,
                false, null, endpoints, null);
    }
}
