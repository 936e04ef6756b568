package org.triplane.client.modelset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A model set as a folder of files, the form in which a trained set ships with the project
 * ({@code models/default/} in the repository). The one reader and writer of that form.
 *
 * <pre>
 * models/default/
 *   model-set.json     the manifest (below)
 *   axial.params       each plane's weights, the same file a TRAIN job stores at
 *   coronal.params     models/&lt;set&gt;/&lt;plane&gt;/weights.params (a U-Net weights file:
 *   sagittal.params    header with the network configuration, then the float32 parameters)
 *   fusion-weights.json  the learned fusion's weights when the set has them ({@link FusionWeightsDocument})
 * </pre>
 *
 * {@code model-set.json}, format {@value #FORMAT}:
 * <pre>
 * {
 *   "format": 1,
 *   "name": "triplane-default",            registered as name-&lt;first 12 hex digits of the checksum&gt;
 *   "fusionRule": "MAJORITY_2_OF_3",
 *   "codeVersion": "&lt;git commit that trained it&gt;",
 *   "createdAt": "2026-12-04T10:00:00Z",
 *   "training": { "command": "...", "seeds": {...}, "dataGeneration": {...} },   free-form object, may be {}
 *   "metrics": { ... },                                                          free-form object, may be {}
 *   "source": { "modelSetId": "...", "trainingJobId": "...", "gateway": "..." }, free-form object, may be {}
 *   "planes": {
 *     "axial": { "weights": "axial.params", "weightsSha256": "&lt;64 hex&gt;", "architecture": "unet",
 *                "seed": 42, "hyperParameters": {...}, "voxelSpacingMm": [x, y, z], "sliceSize": [w, h],
 *                "trainingScanIds": [...], "trainingScanSha256": [...], "codeVersion": "...",
 *                "trainingDurationSeconds": 12.5, "validationMetrics": {...} },
 *     "coronal": {...}, "sagittal": {...}
 *   },
 *   "fusionWeights": { "file": "fusion-weights.json", "sha256": "&lt;64 hex&gt;" }   only when the set has them
 * }
 * </pre>
 * The per-plane entries hold exactly what the registry records of a trained model
 * ({@code hyperParameters}: preset, model grid, inputs, loss weights, epochs, seed...). The set's
 * checksum is the SHA-256 of {@code model-set.json}, which pins every weights file's SHA-256 and the
 * fusion weights' (so other fusion weights make another set); a reader checks each file against it.
 */
public final class ModelSetFolder {

    /** The manifest's file name. */
    public static final String MANIFEST = "model-set.json";
    /** The manifest format this class reads and writes. */
    public static final int FORMAT = 1;
    /** The manifest's entry naming the fusion weights file. */
    private static final String FUSION_WEIGHTS = "fusionWeights";
    /** The planes, in the order they are listed, as the manifest names them. */
    public static final List<String> PLANES = List.of("axial", "coronal", "sagittal");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelSetFolder() {
    }

    /** A manifest or weights file that is missing, unreadable or inconsistent; the message names the file. */
    public static final class InvalidModelSetFolderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidModelSetFolderException(String message) {
            super(message);
        }

        InvalidModelSetFolderException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One plane's trained network.
     *
     * @param plane                   {@code axial}, {@code coronal} or {@code sagittal}
     * @param architecture            architecture name, e.g. {@code unet}
     * @param seed                    random seed of its training
     * @param hyperParametersJson     JSON object, as the registry records it
     * @param voxelSpacingMm          model grid spacing, mm [x, y, z]
     * @param sliceSize               slice size on the model grid, [width, height] pixels
     * @param trainingScanIds         scans it was trained on (ids on the stack that trained it)
     * @param trainingScanSha256      their CT SHA-256, same order
     * @param codeVersion             code version that trained it
     * @param trainingDurationSeconds wall-clock training time, s, or {@code null}
     * @param validationMetricsJson   JSON object of validation metrics
     * @param weightsSha256           SHA-256 of its weights file
     */
    public record PlaneModel(String plane, String architecture, long seed, String hyperParametersJson,
                             List<Double> voxelSpacingMm, List<Integer> sliceSize, List<String> trainingScanIds,
                             List<String> trainingScanSha256, String codeVersion, Double trainingDurationSeconds,
                             String validationMetricsJson, String weightsSha256) {

        /** @return the weights file's name within the folder, {@code <plane>.params} */
        public String weightsFile() {
            return weightsFileOf(plane);
        }
    }

    /**
     * What a folder describes.
     *
     * @param name            the set's name
     * @param fusionRule      how the planes are combined
     * @param codeVersion     the code version (git commit) that trained it
     * @param createdAt       when the folder was written, ISO-8601
     * @param trainingJson    JSON object: how to reproduce it (command, seeds, data generation)
     * @param metricsJson     JSON object: what was measured
     * @param sourceJson      JSON object: where it was exported from
     * @param planes          one per plane, in {@link #PLANES} order
     */
    public record Manifest(String name, String fusionRule, String codeVersion, String createdAt, String trainingJson,
                           String metricsJson, String sourceJson, List<PlaneModel> planes) {
    }

    /**
     * A folder read and checked.
     *
     * @param folder        where it is
     * @param manifest      what it describes
     * @param sha256        SHA-256 of its {@code model-set.json}: the set's checksum
     * @param weights       each plane's weights file, by plane name
     * @param fusionWeights its {@link FusionWeightsDocument#FILE}, checked against the manifest, or {@code null}
     *                      when the set ships without learned fusion weights
     */
    public record Folder(Path folder, Manifest manifest, String sha256, Map<String, Path> weights, Path fusionWeights) {

        /** @return the total size of the manifest, the weights and the fusion weights, bytes */
        public long sizeBytes() {
            try {
                long size = Files.size(folder.resolve(MANIFEST));
                for (Path w : weights.values()) {
                    size += Files.size(w);
                }
                if (fusionWeights != null) {
                    size += Files.size(fusionWeights);
                }
                return size;
            } catch (IOException e) {
                throw new InvalidModelSetFolderException("cannot read the size of " + folder + ": " + e.getMessage(), e);
            }
        }

        /**
         * The set's learned fusion weights as shipped.
         *
         * @return the document in its {@link FusionWeightsDocument#FILE}, empty when the set ships without one
         * @throws InvalidModelSetFolderException naming the file when it is not a fusion weights document
         */
        public Optional<FusionWeightsDocument> fusionWeightsDocument() {
            if (fusionWeights == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(FusionWeightsDocument.parse(JSON.readTree(fusionWeights.toFile())));
            } catch (IOException e) {
                throw new InvalidModelSetFolderException("cannot read " + fusionWeights + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new InvalidModelSetFolderException(fusionWeights + ": field " + e.getMessage(), e);
            }
        }
    }

    /** @return the weights file name of a plane, {@code <plane>.params} */
    public static String weightsFileOf(String plane) {
        return plane.toLowerCase(Locale.ROOT) + ".params";
    }

    /**
     * @param folder a folder that may hold a model set
     * @return the set, empty when the folder or its {@code model-set.json} does not exist
     * @throws InvalidModelSetFolderException when the manifest exists but it or a weights file is missing or wrong
     */
    public static Optional<Folder> readIfPresent(Path folder) {
        if (!Files.isRegularFile(folder.resolve(MANIFEST))) {
            return Optional.empty();
        }
        return Optional.of(read(folder));
    }

    /**
     * @param folder a folder holding a model set
     * @return the set, every weights file checked against its SHA-256
     * @throws InvalidModelSetFolderException naming the file that is missing, malformed or does not match
     */
    public static Folder read(Path folder) {
        Path manifestFile = folder.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new InvalidModelSetFolderException(manifestFile + " is missing: a model set folder needs its manifest "
                    + "(write one with `triplane model-set export`)");
        }
        byte[] bytes;
        JsonNode root;
        try {
            bytes = Files.readAllBytes(manifestFile);
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidModelSetFolderException(manifestFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidModelSetFolderException("cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
        Fields f = new Fields(manifestFile, root);
        int format = f.integer(root, "format");
        if (format != FORMAT) {
            throw f.error("format", "is " + format + "; this version reads format " + FORMAT);
        }
        JsonNode planesNode = f.object(root, "planes");
        List<String> names = new ArrayList<>();
        planesNode.fieldNames().forEachRemaining(names::add);
        if (!names.stream().sorted().toList().equals(PLANES.stream().sorted().toList())) {
            throw f.error("planes", "must hold exactly " + PLANES + ", got " + names);
        }
        List<PlaneModel> planes = new ArrayList<>();
        Map<String, Path> weights = new LinkedHashMap<>();
        for (String plane : PLANES) {
            JsonNode p = planesNode.get(plane);
            String at = "planes." + plane;
            if (!p.isObject()) {
                throw f.error(at, "must be an object");
            }
            String file = f.text(p, at + ".weights");
            if (!file.equals(weightsFileOf(plane))) {
                throw f.error(at + ".weights", "must be " + weightsFileOf(plane) + ", got " + file);
            }
            String sha = f.sha256(p, at + ".weightsSha256");
            Path w = folder.resolve(file);
            if (!Files.isRegularFile(w)) {
                throw new InvalidModelSetFolderException(w + " is missing: " + manifestFile + " lists it as the " + plane
                        + " weights");
            }
            String actual = sha256(w);
            if (!actual.equals(sha)) {
                throw new InvalidModelSetFolderException(w + " has SHA-256 " + actual + " but " + manifestFile + " says "
                        + sha + " (" + at + ".weightsSha256): the folder is inconsistent, export it again");
            }
            weights.put(plane, w);
            List<Double> spacing = f.numbers(p, at + ".voxelSpacingMm", 3).stream().map(JsonNode::asDouble).toList();
            List<Integer> slice = f.numbers(p, at + ".sliceSize", 2).stream().map(JsonNode::asInt).toList();
            List<String> scanIds = f.texts(p, at + ".trainingScanIds");
            List<String> scanShas = f.texts(p, at + ".trainingScanSha256");
            if (scanIds.size() != scanShas.size()) {
                throw f.error(at + ".trainingScanSha256", "must list one checksum per training scan (" + scanIds.size()
                        + "), got " + scanShas.size());
            }
            JsonNode duration = p.path("trainingDurationSeconds");
            planes.add(new PlaneModel(plane, f.text(p, at + ".architecture"), f.integer(p, at + ".seed"),
                    f.object(p, at + ".hyperParameters").toString(), spacing, slice, scanIds, scanShas,
                    f.text(p, at + ".codeVersion"), duration.isNumber() ? duration.asDouble() : null,
                    f.optionalObject(p, at + ".validationMetrics").toString(), sha));
        }
        Manifest m = new Manifest(f.text(root, "name"), f.text(root, "fusionRule"), f.text(root, "codeVersion"),
                root.path("createdAt").asText(null), f.optionalObject(root, "training").toString(),
                f.optionalObject(root, "metrics").toString(), f.optionalObject(root, "source").toString(), planes);
        return new Folder(folder, m, sha256(bytes), weights, fusionWeights(folder, manifestFile, f, root));
    }

    /** The fusion weights file the manifest names, checked against its SHA-256; {@code null} when it names none. */
    private static Path fusionWeights(Path folder, Path manifestFile, Fields f, JsonNode root) {
        JsonNode entry = root.get(FUSION_WEIGHTS);
        if (entry == null || entry.isNull()) {
            return null;
        }
        if (!entry.isObject()) {
            throw f.error(FUSION_WEIGHTS, "must be an object, got " + entry);
        }
        String file = f.text(entry, FUSION_WEIGHTS + ".file");
        if (!file.equals(FusionWeightsDocument.FILE)) {
            throw f.error(FUSION_WEIGHTS + ".file", "must be " + FusionWeightsDocument.FILE + ", got " + file);
        }
        String sha = f.sha256(entry, FUSION_WEIGHTS + ".sha256");
        Path w = folder.resolve(file);
        if (!Files.isRegularFile(w)) {
            throw new InvalidModelSetFolderException(w + " is missing: " + manifestFile + " lists it as the set's fusion "
                    + "weights");
        }
        String actual = sha256(w);
        if (!actual.equals(sha)) {
            throw new InvalidModelSetFolderException(w + " has SHA-256 " + actual + " but " + manifestFile + " says " + sha
                    + " (" + FUSION_WEIGHTS + ".sha256): the folder is inconsistent, export it again");
        }
        return w;
    }


    /**
     * Writes a model set into {@code folder} (created if absent): each plane's weights copied to
     * {@code <plane>.params}, the fusion weights to {@link FusionWeightsDocument#FILE} (a file of that name
     * left from an earlier set is removed when there are none), then {@code model-set.json} last, so a
     * folder with a manifest is complete.
     *
     * @param folder        target folder; files of the same names are replaced
     * @param manifest      what to record; each plane's {@code weightsSha256} is computed here and may be {@code null}
     * @param weights       each plane's weights file, by plane name
     * @param fusionWeights the set's learned fusion weights, or {@code null}
     * @return the folder as {@link #read} reads it back
     * @throws IOException on write errors
     */
    public static Folder write(Path folder, Manifest manifest, Map<String, Path> weights, FusionWeightsDocument fusionWeights)
            throws IOException {
        List<String> given = manifest.planes().stream().map(PlaneModel::plane).sorted().toList();
        if (!given.equals(PLANES.stream().sorted().toList())) {
            throw new IllegalArgumentException("planes: one per plane " + PLANES + " required, got "
                    + manifest.planes().stream().map(PlaneModel::plane).toList());
        }
        Files.createDirectories(folder);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        root.put("name", require(manifest.name(), "name"));
        root.put("fusionRule", require(manifest.fusionRule(), "fusionRule"));
        root.put("codeVersion", require(manifest.codeVersion(), "codeVersion"));
        if (manifest.createdAt() != null) {
            root.put("createdAt", manifest.createdAt());
        }
        root.set("training", objectOrEmpty(manifest.trainingJson(), "training"));
        root.set("metrics", objectOrEmpty(manifest.metricsJson(), "metrics"));
        root.set("source", objectOrEmpty(manifest.sourceJson(), "source"));
        ObjectNode planes = root.putObject("planes");
        for (String name : PLANES) {
            PlaneModel p = manifest.planes().stream().filter(x -> x.plane().equals(name)).findFirst().orElseThrow();
            Path source = weights.get(name);
            if (source == null || !Files.isRegularFile(source)) {
                throw new IllegalArgumentException("weights: no " + name + " weights file given (" + source + ")");
            }
            Path target = folder.resolve(p.weightsFile());
            if (!Files.exists(target) || !Files.isSameFile(source, target)) {
                Path tmp = folder.resolve(p.weightsFile() + ".part");
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            ObjectNode n = planes.putObject(name);
            n.put("weights", p.weightsFile());
            n.put("weightsSha256", sha256(target));
            n.put("architecture", require(p.architecture(), "planes." + name + ".architecture"));
            n.put("seed", p.seed());
            n.set("hyperParameters", objectOrEmpty(p.hyperParametersJson(), "planes." + name + ".hyperParameters"));
            ArrayNode spacing = n.putArray("voxelSpacingMm");
            p.voxelSpacingMm().forEach(spacing::add);
            ArrayNode slice = n.putArray("sliceSize");
            p.sliceSize().forEach(slice::add);
            ArrayNode ids = n.putArray("trainingScanIds");
            p.trainingScanIds().forEach(ids::add);
            ArrayNode shas = n.putArray("trainingScanSha256");
            p.trainingScanSha256().forEach(shas::add);
            n.put("codeVersion", require(p.codeVersion(), "planes." + name + ".codeVersion"));
            if (p.trainingDurationSeconds() != null) {
                n.put("trainingDurationSeconds", p.trainingDurationSeconds());
            }
            n.set("validationMetrics", objectOrEmpty(p.validationMetricsJson(), "planes." + name + ".validationMetrics"));
        }
        Path fusionFile = folder.resolve(FusionWeightsDocument.FILE);
        if (fusionWeights == null) {
            Files.deleteIfExists(fusionFile);
        } else {
            Path part = folder.resolve(FusionWeightsDocument.FILE + ".part");
            Files.writeString(part, JSON.writeValueAsString(fusionWeights.toJson()) + "\n");
            Files.move(part, fusionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            root.putObject(FUSION_WEIGHTS).put("file", FusionWeightsDocument.FILE).put("sha256", sha256(fusionFile));
        }
        Path manifestFile = folder.resolve(MANIFEST);
        Path tmp = folder.resolve(MANIFEST + ".part");
        Files.write(tmp, (JSON.writeValueAsString(root) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.move(tmp, manifestFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return read(folder);
    }

    /** @return the SHA-256 of a file, 64 lower-case hex digits */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = digest();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new InvalidModelSetFolderException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String require(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(field + ": required");
        }
        return v;
    }

    private static JsonNode objectOrEmpty(String json, String field) {
        if (json == null || json.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode n = JSON.readTree(json);
            if (!n.isObject()) {
                throw new IllegalArgumentException(field + ": must be a JSON object, got " + json);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Typed reads of the manifest's fields, each failure naming the file and the field. */
    private record Fields(Path file, JsonNode root) {

        InvalidModelSetFolderException error(String field, String problem) {
            return new InvalidModelSetFolderException(file + ": field " + field + " " + problem);
        }

        private JsonNode at(JsonNode parent, String path) {
            String leaf = path.substring(path.lastIndexOf('.') + 1);
            JsonNode n = parent.get(leaf);
            if (n == null || n.isNull()) {
                throw error(path, "is missing");
            }
            return n;
        }

        String text(JsonNode parent, String path) {
            JsonNode n = at(parent, path);
            if (!n.isTextual() || n.asText().isBlank()) {
                throw error(path, "must be a non-blank string, got " + n);
            }
            return n.asText();
        }

        int integer(JsonNode parent, String path) {
            JsonNode n = at(parent, path);
            if (!n.canConvertToExactIntegral()) {
                throw error(path, "must be an integer, got " + n);
            }
            return n.asInt();
        }

        String sha256(JsonNode parent, String path) {
            String v = text(parent, path);
            if (!v.matches("[0-9a-f]{64}")) {
                throw error(path, "must be 64 lower-case hex digits, got " + v);
            }
            return v;
        }

        JsonNode object(JsonNode parent, String path) {
            JsonNode n = at(parent, path);
            if (!n.isObject()) {
                throw error(path, "must be a JSON object, got " + n);
            }
            return n;
        }

        JsonNode optionalObject(JsonNode parent, String path) {
            String leaf = path.substring(path.lastIndexOf('.') + 1);
            JsonNode n = parent.get(leaf);
            if (n == null || n.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            return object(parent, path);
        }

        List<JsonNode> numbers(JsonNode parent, String path, int count) {
            JsonNode n = at(parent, path);
            List<JsonNode> out = new ArrayList<>();
            if (n.isArray()) {
                for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                    JsonNode v = it.next();
                    if (!v.isNumber() || v.asDouble() <= 0) {
                        throw error(path, "must hold " + count + " positive numbers, got " + n);
                    }
                    out.add(v);
                }
            }
            if (!n.isArray() || out.size() != count) {
                throw error(path, "must hold " + count + " positive numbers, got " + n);
            }
            return out;
        }

        List<String> texts(JsonNode parent, String path) {
            JsonNode n = at(parent, path);
            if (!n.isArray()) {
                throw error(path, "must be an array of strings, got " + n);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode v : n) {
                if (!v.isTextual()) {
                    throw error(path, "must be an array of strings, got " + n);
                }
                out.add(v.asText());
            }
            return out;
        }
    }
}
