package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** What the value of one job parameter must be. */
public interface ParameterRule {

    /**
     * @param value the value as submitted (a JSON null when the key is given as {@code null})
     * @return why it cannot be used, completing "KEY …", e.g. {@code must be an integer ≥ 1, got 2.5};
     *         empty when it can
     */
    Optional<String> problem(JsonNode value);

    /** @return what is accepted, e.g. {@code an integer ≥ 1}, for messages and the documentation */
    String accepts();
}
