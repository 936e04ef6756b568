package org.triplane.db.models;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code model_set_events}: one change of which model set is the default.
 *
 * @param id          log order
 * @param modelSetId  the set the change concerns
 * @param event       {@code SHIPPED_DEFAULT_REGISTERED} (registered from the shipped folder and made the default),
 *                    {@code DEFAULT_RESTORED} (a shipped set registered before made the default again) or
 *                    {@code DEFAULT_REPLACED} (it stopped being the default)
 * @param at          when, database clock
 * @param actor       the service instance that made the change
 * @param sha256      the shipped set's {@code model-set.json} SHA-256, or {@code null}
 * @param codeVersion the code version recorded in the shipped set, or {@code null}
 * @param reason      free text for a reader, or {@code null}
 */
public record ModelSetEvent(long id, UUID modelSetId, String event, Instant at, String actor, String sha256,
                            String codeVersion, String reason) {

    /** A shipped set was registered and made the default. */
    public static final String SHIPPED_DEFAULT_REGISTERED = "SHIPPED_DEFAULT_REGISTERED";
    /** A shipped set registered earlier was made the default again. */
    public static final String DEFAULT_RESTORED = "DEFAULT_RESTORED";
    /** The set stopped being the default. */
    public static final String DEFAULT_REPLACED = "DEFAULT_REPLACED";
}
