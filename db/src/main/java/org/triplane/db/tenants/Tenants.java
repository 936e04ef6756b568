package org.triplane.db.tenants;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.Rows;

/** Tenants and their API keys. */
public final class Tenants {

    private Tenants() {
    }

    private static final String COLUMNS = "id, name, created_at, deidentify_uploads";

    /**
     * @param c    transaction
     * @param name unique tenant name
     * @return the new tenant
     * @throws SQLException e.g. when the name is taken
     */
    public static Tenant create(Connection c, String name) throws SQLException {
        return create(c, name, true);
    }

    /**
     * @param c                 transaction
     * @param name              unique tenant name
     * @param deidentifyUploads whether its uploads' NIfTI parts are stored de-identified
     * @return the new tenant
     * @throws SQLException e.g. when the name is taken
     */
    public static Tenant create(Connection c, String name, boolean deidentifyUploads) throws SQLException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tenants (name, deidentify_uploads) VALUES (?, ?) RETURNING " + COLUMNS)) {
            ps.setString(1, name);
            ps.setBoolean(2, deidentifyUploads);
            return Rows.single(ps, Tenants::map);
        }
    }

    /**
     * @param c  transaction (no tenant needed)
     * @param id tenant id
     * @return the tenant, empty when there is none with this id
     * @throws SQLException on database errors
     */
    public static Optional<Tenant> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tenants WHERE id = ?")) {
            Rows.setUuid(ps, 1, id);
            return Optional.ofNullable(Rows.single(ps, Tenants::map));
        }
    }

    /**
     * Turns de-identification of a tenant's uploads on or off; scans already stored keep what
     * they were stored as.
     *
     * @param c     transaction
     * @param id    tenant id
     * @param value the new setting
     * @return the tenant as it now is, empty when there is none with this id
     * @throws SQLException on database errors
     */
    public static Optional<Tenant> setDeidentifyUploads(Connection c, UUID id, boolean value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tenants SET deidentify_uploads = ? WHERE id = ? RETURNING " + COLUMNS)) {
            ps.setBoolean(1, value);
            Rows.setUuid(ps, 2, id);
            return Optional.ofNullable(Rows.single(ps, Tenants::map));
        }
    }

    private static Tenant map(ResultSet rs) throws SQLException {
        return new Tenant(Rows.uuid(rs, "id"), rs.getString("name"), Rows.instant(rs, "created_at"),
                rs.getBoolean("deidentify_uploads"));
    }

    /**
     * Creates an API key; only its SHA-256 is stored.
     *
     * @param c        transaction
     * @param tenantId owning tenant
     * @param label    free text for people, may be {@code null}
     * @return the stored row and the full key, to be shown to the client once
     * @throws SQLException on database errors
     */
    public static IssuedApiKey createApiKey(Connection c, UUID tenantId, String label) throws SQLException {
        String secret = ApiKeys.generate();
        String prefix = ApiKeys.prefixOf(secret).orElseThrow();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO api_keys (tenant_id, prefix, key_sha256, label) VALUES (?, ?, ?, ?)
                RETURNING id, tenant_id, prefix, label, created_at, revoked_at""")) {
            Rows.setUuid(ps, 1, tenantId);
            ps.setString(2, prefix);
            ps.setBytes(3, ApiKeys.sha256(secret));
            ps.setString(4, label);
            return new IssuedApiKey(Rows.single(ps, Tenants::mapKey), secret);
        }
    }

    /**
     * Authenticates a presented key by its prefix and hash (constant-time comparison).
     *
     * @param c            transaction (no tenant needed)
     * @param presentedKey the key as sent by the client
     * @return its tenant, or empty when the key is malformed, unknown or revoked
     * @throws SQLException on database errors
     */
    public static Optional<UUID> tenantForKey(Connection c, String presentedKey) throws SQLException {
        Optional<String> prefix = ApiKeys.prefixOf(presentedKey);
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tenant_id, key_sha256 FROM api_keys WHERE prefix = ? AND revoked_at IS NULL")) {
            ps.setString(1, prefix.get());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && ApiKeys.matches(presentedKey, rs.getBytes("key_sha256"))) {
                    return Optional.of(Rows.uuid(rs, "tenant_id"));
                }
                return Optional.empty();
            }
        }
    }

    /**
     * @param c      transaction
     * @param prefix the key's public prefix
     * @return whether a valid key was revoked
     * @throws SQLException on database errors
     */
    public static boolean revokeApiKey(Connection c, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE api_keys SET revoked_at = now() WHERE prefix = ? AND revoked_at IS NULL")) {
            ps.setString(1, prefix);
            return ps.executeUpdate() == 1;
        }
    }

    private static ApiKey mapKey(ResultSet rs) throws SQLException {
        return new ApiKey(Rows.uuid(rs, "id"), Rows.uuid(rs, "tenant_id"), rs.getString("prefix"),
                rs.getString("label"), Rows.instant(rs, "created_at"), Rows.instant(rs, "revoked_at"));
    }
}
