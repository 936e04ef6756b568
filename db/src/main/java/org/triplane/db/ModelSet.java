package org.triplane.db;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code model_sets}.
 *
 * @param id          model set id
 * @param name        unique name
 * @param fusionRule  how the per-plane predictions are combined, e.g. {@code MAJORITY_2_OF_3}
 * @param codeVersion version of the code that assembled the set
 * @param createdAt   instant of creation
 */
public record ModelSet(UUID id, String name, String fusionRule, String codeVersion, Instant createdAt) {
}
