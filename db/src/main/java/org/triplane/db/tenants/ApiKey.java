package org.triplane.db.tenants;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code api_keys}, without the secret (which is never stored).
 *
 * @param id        key id
 * @param tenantId  owning tenant
 * @param prefix    public lookup part of the key
 * @param label     free text for people (which system uses the key), may be {@code null}
 * @param createdAt instant of creation
 * @param revokedAt instant after which the key is refused; {@code null} while valid
 */
public record ApiKey(UUID id, UUID tenantId, String prefix, String label, Instant createdAt, Instant revokedAt) {
}
