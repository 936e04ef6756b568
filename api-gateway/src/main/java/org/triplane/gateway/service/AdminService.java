package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.triplane.db.IssuedApiKey;
import org.triplane.db.Tenant;
import org.triplane.gateway.config.GatewayConfig;

/** Creates tenants and their first API key, for the command line and demos; guarded by the admin token. */
@ApplicationScoped
public class AdminService {

    /** Header carrying the admin token. */
    public static final String HEADER = "X-Admin-Token";

    private final Databases db;
    private final GatewayConfig config;

    @Inject
    public AdminService(Databases db, GatewayConfig config) {
        this.db = db;
        this.config = config;
    }

    /** A new tenant and its key. @param tenant the tenant @param key the key, shown once */
    public record Created(Tenant tenant, IssuedApiKey key) {
    }

    /**
     * @param token the presented admin token
     * @param name  unique tenant name
     * @return the tenant and an API key
     * @throws RequestRejected 403 for a wrong token or when no token is configured; 409 for a taken name
     */
    public Created createTenant(String token, String name) {
        requireAdmin(token);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw RequestRejected.badRequest("name", "tenant name required, at most 200 characters");
        }
        try {
            return db.app().run(c -> {
                Tenant t = db.store().createTenant(c, name.strip());
                return new Created(t, db.store().createApiKey(c, t.id(), "created by admin"));
            });
        } catch (org.triplane.db.DataAccessException e) {
            if (e.getCause() instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
                throw new RequestRejected(409, "name", "tenant name already taken: " + name);
            }
            throw e;
        }
    }

    private void requireAdmin(String token) {
        String expected = config.admin().token().orElse(null);
        if (expected == null || expected.isEmpty()) {
            throw new RequestRejected(403, HEADER, "administration is disabled (no triplane.admin.token configured)");
        }
        if (token == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new RequestRejected(403, HEADER, "wrong admin token");
        }
    }
}
