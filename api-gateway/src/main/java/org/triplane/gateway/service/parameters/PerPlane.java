package org.triplane.gateway.service.parameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.triplane.imaging.plane.Plane;

/**
 * A value for every plane, or an object giving some planes theirs ({@code {"axial": …, "coronal":
 * …, "sagittal": …}}; a plane left out keeps its default).
 *
 * @param each what one plane's value must be
 */
public record PerPlane(ParameterRule each) implements ParameterRule {

    /** The planes' names as the object's keys: the imaging planes' names in lower case. */
    public static final List<String> PLANES = Arrays.stream(Plane.values())
            .map(p -> p.name().toLowerCase(Locale.ROOT)).toList();

    @Override
    public Optional<String> problem(JsonNode value) {
        if (!value.isObject()) {
            return each.problem(value).map(p -> p + " (or an object by plane: " + String.join(", ", PLANES) + ")");
        }
        if (value.isEmpty()) {
            return Optional.of("must be " + accepts() + ", got {}");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            // why: a misspelt plane would otherwise keep its default without a word
            if (!PLANES.contains(name)) {
                return Optional.of("has no plane '" + name + "': the planes are " + String.join(", ", PLANES));
            }
            Optional<String> p = each.problem(value.get(name));
            if (p.isPresent()) {
                return Optional.of("for the " + name + " plane " + p.get());
            }
        }
        return Optional.empty();
    }

    @Override
    public String accepts() {
        return each.accepts() + ", or an object {" + String.join(", ", PLANES.stream().map(p -> "\"" + p + "\"").toList())
                + "} of such numbers";
    }
}
