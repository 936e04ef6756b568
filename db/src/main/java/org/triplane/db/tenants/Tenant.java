package org.triplane.db.tenants;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code tenants}.
 *
 * @param id                tenant id
 * @param name              unique display name
 * @param createdAt         instant of creation
 * @param deidentifyUploads whether the NIfTI parts of its uploads are stored de-identified (free-text
 *                          header fields and extensions removed) rather than as uploaded
 */
public record Tenant(UUID id, String name, Instant createdAt, boolean deidentifyUploads) {
}
