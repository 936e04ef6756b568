package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters one kind of job accepts: its keys in the documentation's order, and the rules
 * between them.
 *
 * @param specs     every key it accepts
 * @param relations rules between keys
 */
public record KindSchema(List<ParameterSpec> specs, List<ParameterRelation> relations) {

    public KindSchema {
        specs = List.copyOf(specs);
        relations = List.copyOf(relations);
    }

    /** @return the keys in the documentation's order */
    public List<String> keys() {
        return specs.stream().map(ParameterSpec::key).toList();
    }

    /** @param key a key @return its spec, empty when this kind does not accept the key */
    public Optional<ParameterSpec> spec(String key) {
        return specs.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /** @param parameters a JSON object @return its first key (in the request's order) this kind does not accept */
    public Optional<String> unknownKey(JsonNode parameters) {
        for (Iterator<String> it = parameters.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (spec(key).isEmpty()) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /**
     * @param parameters a JSON object of keys this kind accepts
     * @return the first value (in the request's order) its key refuses, else the first relation broken;
     *         empty when the parameters can be used
     */
    public Optional<ParameterProblem> problem(JsonNode parameters) {
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ParameterSpec spec = spec(e.getKey()).orElseThrow(() -> new IllegalArgumentException("unknown key " + e.getKey()));
            if (e.getValue().isNull() && spec.nullIsAbsent()) {
                continue;
            }
            Optional<String> p = spec.rule().problem(e.getValue());
            if (p.isPresent()) {
                return Optional.of(new ParameterProblem(e.getKey(), e.getKey() + " " + p.get()));
            }
        }
        for (ParameterRelation r : relations) {
            Optional<ParameterProblem> p = r.problem(parameters);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }
}
