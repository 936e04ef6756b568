package org.triplane.db;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code tenants}.
 *
 * @param id        tenant id
 * @param name      unique display name
 * @param createdAt instant of creation
 */
public record Tenant(UUID id, String name, Instant createdAt) {
}
