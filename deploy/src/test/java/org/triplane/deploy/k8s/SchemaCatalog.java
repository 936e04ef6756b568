package org.triplane.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API schemas a cluster would check the manifests against, without the cluster: the built-in kinds
 * of Kubernetes 1.32 (its OpenAPI definitions) and the custom resources of the Strimzi and KEDA releases
 * the README names (their CRDs, served versions only), all vendored under
 * {@code src/test/resources/k8s-schemas} (sources and versions in the README there).
 *
 * <p>Checked as the API server does with {@code kubectl apply}'s strict field validation: an
 * {@code apiVersion}/{@code kind} that the release does not serve is refused, so are unknown fields
 * (every object with declared properties is closed, except where the schema keeps unknown fields), and
 * required fields must be there. Not checked: CEL rules ({@code x-kubernetes-validations}) and value
 * formats such as quantities' grammar.
 */
final class SchemaCatalog {
    static final String RESOURCES = "/k8s-schemas";
    static final String KUBERNETES = "kubernetes-1.32";
    private static final String DEFINITIONS = "#/definitions/";
    private static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static SchemaCatalog vendored;

    private final Map<String, JsonSchema> schemas;
    private final ObjectMapper json = new ObjectMapper();

    private SchemaCatalog(Map<String, JsonSchema> schemas) {
        this.schemas = schemas;
    }

    /** @return the catalog of the vendored schemas, loaded once (a few seconds: the Kafka CRD alone is 330 kB) */
    static synchronized SchemaCatalog vendored() {
        if (vendored == null) {
            vendored = load(resourceDir());
        }
        return vendored;
    }

    /**
     * @param doc one manifest document, as parsed YAML
     * @return what is wrong with it, each as {@code path: problem}; empty when the API server would accept it
     */
    List<String> validate(Map<String, Object> doc) {
        String type = ManifestSet.Node.string(doc, "apiVersion") + " " + ManifestSet.Node.string(doc, "kind");
        JsonSchema schema = schemas.get(type);
        if (schema == null) {
            String kind = " " + ManifestSet.Node.string(doc, "kind");
            List<String> served = schemas.keySet().stream().filter(t -> t.endsWith(kind)).toList();
            return List.of(type + " is not served by the vendored schemas (" + RESOURCES + "): "
                    + (served.isEmpty() ? "no version of this kind is" : "the versions served are " + served));
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(json.valueToTree(doc))) {
            problems.add(m.getMessage());
        }
        problems.sort(null);
        return problems;
    }

    private static Path resourceDir() {
        URL url = SchemaCatalog.class.getResource(RESOURCES);
        if (url == null) {
            throw new IllegalStateException(RESOURCES + " is not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }

    static SchemaCatalog load(Path dir) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode definitions;
        try (InputStream in = Files.newInputStream(dir.resolve(KUBERNETES).resolve("definitions.json"))) {
            definitions = (ObjectNode) json.readTree(in).get("definitions");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kubernetes definitions in " + dir.resolve(KUBERNETES), e);
        }
        Map<String, String> kinds = new TreeMap<>(); // apiVersion kind -> definition
        definitions.fields().forEachRemaining(d -> {
            for (JsonNode gvk : d.getValue().path("x-kubernetes-group-version-kind")) {
                String group = gvk.path("group").asText();
                kinds.put((group.isEmpty() ? "" : group + "/") + gvk.path("version").asText() + " " + gvk.path("kind").asText(),
                        d.getKey());
            }
            Strictness.adapt(d.getValue());
        });
        // why: the API server reads quantities and int-or-strings from JSON numbers too (nvidia.com/gpu: 1, port: 8080)
        loosen(definitions, "io.k8s.apimachinery.pkg.api.resource.Quantity", "number");
        loosen(definitions, "io.k8s.apimachinery.pkg.util.intstr.IntOrString", "integer");

        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
        Map<String, JsonSchema> schemas = new TreeMap<>();
        kinds.forEach((type, definition) -> schemas.put(type, factory.getSchema(root(definitions, DEFINITIONS + definition), config)));
        for (Path crd : crdFiles(dir)) {
            Map<String, Object> doc = readYaml(crd);
            String group = ManifestSet.Node.string(doc, "spec", "group");
            String kind = ManifestSet.Node.string(doc, "spec", "names", "kind");
            for (Object version : ManifestSet.Node.list(doc, "spec", "versions")) {
                if (!Boolean.TRUE.equals(ManifestSet.Node.get(version, "served"))) {
                    continue;
                }
                ObjectNode schema = json.valueToTree(ManifestSet.Node.get(version, "schema", "openAPIV3Schema"));
                Strictness.adapt(schema);
                // why: a CRD's schema leaves metadata open; the API server checks it as every object's metadata
                ((ObjectNode) schema.with("properties")).set("metadata", ref(DEFINITIONS + OBJECT_META));
                ObjectNode root = root(definitions, null);
                root.setAll(schema);
                schemas.put(group + "/" + ManifestSet.Node.string(version, "name") + " " + kind, factory.getSchema(root, config));
            }
        }
        return new SchemaCatalog(schemas);
    }

    /** @return a schema document holding every Kubernetes definition, validating {@code $ref} when given */
    private static ObjectNode root(ObjectNode definitions, String refTo) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("definitions", definitions);
        if (refTo != null) {
            root.set("allOf", JsonNodeFactory.instance.arrayNode().add(ref(refTo)));
        }
        return root;
    }

    private static ObjectNode ref(String to) {
        return JsonNodeFactory.instance.objectNode().put("$ref", to);
    }

    private static void loosen(ObjectNode definitions, String name, String alsoType) {
        ObjectNode d = (ObjectNode) definitions.get(name);
        if (d == null) {
            throw new IllegalStateException("the vendored Kubernetes definitions have no " + name);
        }
        d.set("type", JsonNodeFactory.instance.arrayNode().add("string").add(alsoType));
    }

    private static List<Path> crdFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Map<String, Object> readYaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(16 * 1024 * 1024); // why: the Kafka CRD is larger than SnakeYAML's 3 MB default allows for
            Object doc = new Yaml(new SafeConstructor(options)).load(in);
            if (!(doc instanceof Map<?, ?> m) || !"CustomResourceDefinition".equals(m.get("kind"))) {
                throw new IllegalStateException(file + ": not a CustomResourceDefinition");
            }
            return ManifestSet.Node.cast(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Turns the OpenAPI schemas of the API server into the JSON Schema that the API server's strict
     * field validation amounts to: objects with declared properties refuse others, formats and
     * OpenAPI-only keywords dropped.
     */
    static final class Strictness {
        private Strictness() {
        }

        static void adapt(JsonNode node) {
            if (node instanceof ArrayNode a) {
                a.forEach(Strictness::adapt);
                return;
            }
            if (!(node instanceof ObjectNode o)) {
                return;
            }
            boolean keepsUnknown = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (o.has("properties") && !o.has("additionalProperties") && !keepsUnknown) {
                o.put("additionalProperties", false);
            }
            if (o.path("nullable").asBoolean(false) && o.path("type").isTextual()) {
                o.set("type", JsonNodeFactory.instance.arrayNode().add(o.path("type").asText()).add("null"));
            }
            o.remove("format");
            o.remove("nullable");
            o.remove("example");
            // why: the API server's own annotations (list and patch strategies, CEL rules, the kinds a definition
            // serves) that JSON Schema does not know; read above where they matter
            o.properties().removeIf(e -> e.getKey().startsWith("x-kubernetes-"));
            // why: "properties" maps names to schemas (a property may be called "format"); every other member is a
            // keyword whose value may hold schemas
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("properties") || e.getKey().equals("definitions")) {
                    e.getValue().forEach(Strictness::adapt);
                } else if (e.getValue().isContainerNode()) {
                    adapt(e.getValue());
                }
            }
        }
    }
}
