package org.triplane.client.modelset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A model set's learned fusion weights as JSON, the one form in which they travel: the body of
 * {@code POST /api/v1/models/{id}/fusion-weights} (what {@code triplane model-set fit-fusion} sends),
 * the model set's {@code fusionWeights} (with {@code recordedAt} and {@code recordedBy} beside) and a
 * shipped folder's {@code fusion-weights.json}.
 *
 * <pre>
 * {
 *   "weights": {"axial": [w0, …, w20], "coronal": […], "sagittal": […], "atlas": […]},   per label 0..20
 *   "evaluateJobId": "…", "scanIds": ["…", …],         the evaluate job and its labelled scans fitted on
 *   "meanIoU": 0.84, "equalWeightsMeanIoU": 0.83,      the fitted vote's and equal weights' mean IoU there
 *   "memberMeanIoU": {"axial": 0.82, "coronal": …, "sagittal": …, "atlas": …}
 * }
 * </pre>
 *
 * This class reads and writes the form; which members and how many weights a vote needs, and their
 * range, the vote itself checks (the imaging module's {@code WeightedVote}). Other fields are ignored.
 *
 * @param weights             member name → its weight per label, in the order given
 * @param evaluateJobId       the evaluate job the weights were fitted on
 * @param scanIds             its scans they were fitted on
 * @param meanIoU             the fitted vote's mean IoU on those scans
 * @param equalWeightsMeanIoU the same with every weight 1
 * @param memberMeanIoU       member name → its own mean IoU there
 */
public record FusionWeightsDocument(Map<String, List<Double>> weights, UUID evaluateJobId, List<UUID> scanIds,
                                    double meanIoU, double equalWeightsMeanIoU, Map<String, Double> memberMeanIoU) {

    /** The file name in a model set folder. */
    public static final String FILE = "fusion-weights.json";

    public FusionWeightsDocument {
        Map<String, List<Double>> w = new LinkedHashMap<>();
        weights.forEach((member, values) -> w.put(member, List.copyOf(values)));
        weights = java.util.Collections.unmodifiableMap(w);
        scanIds = List.copyOf(scanIds);
        memberMeanIoU = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(memberMeanIoU));
    }

    /** @return the JSON object above */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode w = root.putObject("weights");
        weights.forEach((member, values) -> {
            ArrayNode a = w.putArray(member);
            values.forEach(a::add);
        });
        root.put("evaluateJobId", evaluateJobId.toString());
        ArrayNode scans = root.putArray("scanIds");
        scanIds.forEach(id -> scans.add(id.toString()));
        root.put("meanIoU", meanIoU);
        root.put("equalWeightsMeanIoU", equalWeightsMeanIoU);
        ObjectNode members = root.putObject("memberMeanIoU");
        memberMeanIoU.forEach(members::put);
        return root;
    }

    /**
     * @param node the JSON object above
     * @return what it holds
     * @throws IllegalArgumentException {@code "<field>: <problem>"} for a missing field or one of the wrong type
     */
    public static FusionWeightsDocument parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("body: must be a JSON object, got " + node);
        }
        Map<String, List<Double>> weights = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(node, "weights").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "weights." + e.getKey();
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException(at + ": must be an array of numbers, got " + e.getValue());
            }
            List<Double> values = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                values.add(number(v, at));
            }
            weights.put(e.getKey(), values);
        }
        JsonNode scans = node.get("scanIds");
        if (scans == null || !scans.isArray()) {
            throw new IllegalArgumentException("scanIds: must be an array of scan ids, got " + scans);
        }
        List<UUID> scanIds = new ArrayList<>();
        for (JsonNode s : scans) {
            scanIds.add(uuid(s, "scanIds"));
        }
        Map<String, Double> members = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(node, "memberMeanIoU").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            members.put(e.getKey(), number(e.getValue(), "memberMeanIoU." + e.getKey()));
        }
        return new FusionWeightsDocument(weights, uuid(node.get("evaluateJobId"), "evaluateJobId"), scanIds,
                number(node.get("meanIoU"), "meanIoU"), number(node.get("equalWeightsMeanIoU"), "equalWeightsMeanIoU"), members);
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(field + ": must be a JSON object, got " + n);
        }
        return n;
    }

    private static double number(JsonNode n, String field) {
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException(field + ": must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static UUID uuid(JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(field + ": must be a UUID string, got " + n);
        }
        try {
            return UUID.fromString(n.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": not a UUID: " + n.asText(), e);
        }
    }
}
