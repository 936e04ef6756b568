package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A rule between keys of one job's parameters, judged once every key's own value passed. */
@FunctionalInterface
public interface ParameterRelation {

    /**
     * @param parameters the job's parameters, a JSON object whose every value its key accepts
     * @return why they cannot be used together, empty when they can
     */
    Optional<ParameterProblem> problem(JsonNode parameters);
}
