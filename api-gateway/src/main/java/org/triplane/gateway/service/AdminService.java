package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.tenants.IssuedApiKey;
import org.triplane.db.tenants.Tenant;
import org.triplane.db.tenants.Tenants;
import org.triplane.gateway.config.GatewayConfig;

/**
 * Creates tenants and their first API key, for the command line and demos, and sets whether a
 * tenant's uploads are stored de-identified; guarded by the admin token.
 */
@ApplicationScoped
public class AdminService {

    private static final Logger LOG = Logger.getLogger(AdminService.class);

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
     * @param token             the presented admin token
     * @param name              unique tenant name
     * @param deidentifyUploads whether its uploads are stored de-identified; {@code null} for yes
     * @return the tenant and an API key
     * @throws RequestRejected 403 for a wrong token or when no token is configured; 409 for a taken name
     */
    public Created createTenant(String token, String name, Boolean deidentifyUploads) {
        requireAdmin(token);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw RequestRejected.badRequest("name", "tenant name required, at most 200 characters");
        }
        boolean deidentify = deidentifyUploads == null || deidentifyUploads;
        try {
            return db.app().run(c -> {
                Tenant t = Tenants.create(c, name.strip(), deidentify);
                return new Created(t, Tenants.createApiKey(c, t.id(), "created by admin"));
            });
        } catch (org.triplane.db.DataAccessException e) {
            if (e.getCause() instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
                throw new RequestRejected(409, "name", "tenant name already taken: " + name);
            }
            throw e;
        }
    }

    /**
     * @param token    the presented admin token
     * @param tenantId the tenant
     * @param value    whether its uploads from now on are stored de-identified (scans already stored stay as they are)
     * @return the tenant as it now is
     * @throws RequestRejected 403 for a wrong token or when no token is configured; 400 without a value; 404 for an
     *                         unknown tenant
     */
    public Tenant setDeidentifyUploads(String token, UUID tenantId, Boolean value) {
        requireAdmin(token);
        if (value == null) {
            throw RequestRejected.badRequest("deidentifyUploads", "required: true or false");
        }
        Tenant t = db.app().run(c -> Tenants.setDeidentifyUploads(c, tenantId, value))
                .orElseThrow(() -> RequestRejected.notFound("id", "tenant " + tenantId + " not found"));
        // why: whether uploads keep their header text is a privacy decision; the log keeps when it changed
        LOG.infof("tenant %s (%s): uploads are now stored %s", t.id(), t.name(), value ? "de-identified" : "as uploaded");
        return t;
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
