package org.triplane.client.modelset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.triplane.client.GatewayClient;

/**
 * Downloads a trained model set from a gateway into the folder form of {@link ModelSetFolder}: the
 * registry's record of each plane's model and its weights (checked against the registry's SHA-256),
 * the set's learned fusion weights when it has them, with how it was made and what was measured, as
 * the caller supplies them.
 */
public final class ModelSetExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelSetExport() {
    }

    /**
     * @param client       the gateway
     * @param apiKey       any tenant's key (the registry is shared)
     * @param modelSetId   a complete model set
     * @param out          the folder to write
     * @param name         the name to ship it under (registered as {@code name-<checksum prefix>}), or {@code null}
     *                     for the set's own name
     * @param trainingJson JSON object: how to reproduce it (command, seeds, data generation), or {@code null}
     * @param metricsJson  JSON object: what was measured (e.g. an evaluation's fused mean IoU), or {@code null}
     * @return the folder as written and read back
     * @throws IllegalArgumentException when the set lacks a plane's model
     */
    public static ModelSetFolder.Folder export(GatewayClient client, String apiKey, UUID modelSetId, Path out, String name,
                                              String trainingJson, String metricsJson)
            throws IOException, InterruptedException {
        JsonNode set = client.modelSet(apiKey, modelSetId);
        Map<String, JsonNode> byPlane = new LinkedHashMap<>();
        for (JsonNode m : set.path("models")) {
            byPlane.put(m.path("plane").asText().toLowerCase(Locale.ROOT), m);
        }
        if (!byPlane.keySet().containsAll(ModelSetFolder.PLANES)) {
            throw new IllegalArgumentException("model set " + modelSetId + " ('" + set.path("name").asText() + "') has models for "
                    + byPlane.keySet() + " only; export a set with a model for each of " + ModelSetFolder.PLANES);
        }
        // why beside the target: the weights are moved into the folder, not copied across file systems
        Path downloads = Files.createTempDirectory(createParent(out), ".model-set-export");
        try {
            List<ModelSetFolder.PlaneModel> planes = new ArrayList<>();
            Map<String, Path> weights = new LinkedHashMap<>();
            for (String plane : ModelSetFolder.PLANES) {
                JsonNode m = byPlane.get(plane);
                Path w = downloads.resolve(ModelSetFolder.weightsFileOf(plane));
                client.download(apiKey, "/api/v1/models/" + modelSetId + "/planes/" + plane + "/weights", w);
                String sha = ModelSetFolder.sha256(w);
                if (!sha.equals(m.path("weightsSha256").asText())) {
                    throw new IOException("the " + plane + " weights of model set " + modelSetId + " have SHA-256 " + sha
                            + " but the registry says " + m.path("weightsSha256").asText());
                }
                weights.put(plane, w);
                planes.add(new ModelSetFolder.PlaneModel(plane, m.path("architecture").asText(), m.path("seed").asLong(),
                        m.path("hyperParameters").toString(), doubles(m.path("voxelSpacingMm")), ints(m.path("sliceSize")),
                        texts(m.path("trainingScanIds")), texts(m.path("trainingScanSha256")), m.path("codeVersion").asText(),
                        m.path("trainingDurationSeconds").isNumber() ? m.get("trainingDurationSeconds").asDouble() : null,
                        m.path("validationMetrics").isObject() ? m.get("validationMetrics").toString() : "{}", sha));
            }
            ObjectNode source = JSON.createObjectNode();
            source.put("modelSetId", modelSetId.toString());
            source.put("modelSetName", set.path("name").asText());
            if (set.hasNonNull("trainingJobId")) {
                source.put("trainingJobId", set.get("trainingJobId").asText());
            }
            source.put("gateway", client.baseUrl());
            ModelSetFolder.Manifest manifest = new ModelSetFolder.Manifest(name == null ? set.path("name").asText() : name,
                    set.path("fusionRule").asText(), set.path("codeVersion").asText(), Instant.now().toString(), trainingJson,
                    metricsJson, source.toString(), planes);
            JsonNode fusion = set.path("fusionWeights");
            return ModelSetFolder.write(out, manifest, weights, fusion.isObject() ? FusionWeightsDocument.parse(fusion) : null);
        } finally {
            try (var files = Files.list(downloads)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(downloads);
        }
    }

    private static Path createParent(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return parent;
    }

    private static List<Double> doubles(JsonNode a) {
        List<Double> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return out;
    }
}
