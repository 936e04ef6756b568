package org.triplane.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.deploy.k8s.ManifestSet.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What {@code kubectl apply -k deploy/k8s} (and the overlay with the in-cluster object store) would send, rendered by the {@code kubectl kustomize} on the
 * PATH (CI's image has kubectl 1.32): refused until {@code make-secrets.sh} has written the credentials,
 * and afterwards every object valid against the API schemas ({@link SchemaCatalog}), in namespace
 * {@code triplane}, with strong, distinct generated credentials that the workloads find under
 * kustomize's hashed names; with the in-cluster store, the services pointed at its Service and the store
 * reading their keys. {@link ManifestsTest} checks the files themselves and needs no kubectl;
 * without kubectl this test is skipped with a reason (the build's test command needs only a JDK and
 * Maven), and {@code .ci/run} says so in its log.
 */
class RenderedManifestsTest {

    private static Path kubectl;

    @BeforeAll
    static void findKubectl() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isBlank()).map(d -> Path.of(d, "kubectl")).filter(Files::isExecutable).findFirst();
        assumeTrue(found.isPresent(), "no kubectl on the PATH: the rendered manifests are not checked here "
                + "(ManifestsTest checks the files)");
        kubectl = found.get();
    }

    @Test
    void beforeMakeSecretsTheRenderingStopsNamingTheMissingFile(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);

        CommandRun r = CommandRun.run(List.of(kubectl.toString(), "kustomize", k8s.toString()), tmp, Map.of());

        assertNotEquals(0, r.exit(), "kubectl kustomize rendered without credentials:\n" + r.out());
        assertTrue(r.err().contains("secrets/") && r.err().contains("no such file"), r.err());
    }

    @Test
    void afterMakeSecretsEveryObjectIsValidInTheNamespaceWithStrongDistinctCredentials(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);
        Map<String, String> store = Map.of("S3_ENDPOINT", "https://s3.example.org", "S3_ACCESS_KEY", "triplane-bucket-user",
                "S3_SECRET_KEY", "given-secret-key-of-the-store");
        CommandRun made = CommandRun.run(List.of("sh", k8s.resolve("make-secrets.sh").toString()), tmp, store);
        assertEquals(0, made.exit(), made.err());

        List<Map<String, Object>> objects = render(k8s, tmp);

        assertEquals(ManifestSet.load(ManifestsTest.k8sDir()).all().size(), objects.size(),
                "objects rendered vs. documents and generated objects in the folder");
        List<String> values = validInTheNamespace(objects);
        assertTrue(values.contains("triplane-bucket-user") && values.contains("given-secret-key-of-the-store"), values.toString());
        List<String> generated = values.stream().filter(v -> !v.startsWith("triplane-bucket") && !v.startsWith("given-")).toList();
        assertStrongAndDistinct(generated, 5, "three PostgreSQL passwords, the admin token and the report-signing key");
    }

    @Test
    void theOverlayWithTheInClusterStorePointsTheServicesAtItWithGeneratedKeys(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);
        ManifestsTest.copy(ManifestsTest.deployDir().resolve("overlays"), tmp.resolve("overlays"));
        CommandRun made = CommandRun.run(List.of("sh", k8s.resolve("make-secrets.sh").toString()), tmp, Map.of("OBJECT_STORE", "in-cluster"));
        assertEquals(0, made.exit(), made.err());

        List<Map<String, Object>> objects = render(tmp.resolve(ManifestsTest.STORE_OVERLAY), tmp);

        assertEquals(ManifestsTest.storeOverlay(ManifestsTest.deployDir()).all().size(), objects.size(),
                "objects rendered vs. documents and generated objects of the overlay");
        assertStrongAndDistinct(validInTheNamespace(objects), 7,
                "three PostgreSQL passwords, the admin token, the report-signing key and the store's two keys");
        Map<String, Object> service = only(objects, "Service", "object-store");
        String endpoint = Node.string(only(objects, "ConfigMap", "triplane-object-store-"), "data", "endpoint");
        assertEquals("http://" + Node.string(service, "metadata", "name") + ":"
                + Node.string(Node.list(service, "spec", "ports").get(0), "port"), endpoint, "the services' endpoint");
        Map<String, Object> statefulSet = only(objects, "StatefulSet", "object-store");
        Object credentials = Node.list(statefulSet, "spec", "template", "spec", "volumes").stream()
                .filter(v -> Node.get(v, "secret") != null).findFirst().orElseThrow();
        assertEquals(Node.string(only(objects, "Secret", "triplane-s3-"), "metadata", "name"),
                Node.string(credentials, "secret", "secretName"), "the store reads the services' keys");
        Map<String, Object> egress = only(objects, "NetworkPolicy", "services-egress");
        assertTrue(Node.list(egress, "spec", "egress").stream()
                .noneMatch(rule -> Node.list(rule, "to").stream().anyMatch(peer -> Node.get(peer, "ipBlock") != null)),
                "the services' egress to outside addresses is replaced by one to the store: " + egress);
    }

    /** @return the objects {@code kubectl kustomize dir} renders, run in {@code cwd} */
    private static List<Map<String, Object>> render(Path dir, Path cwd) throws IOException, InterruptedException {
        CommandRun r = CommandRun.run(List.of(kubectl.toString(), "kustomize", dir.toString()), cwd, Map.of());
        assertEquals(0, r.exit(), r.err());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r.out())) {
            objects.add(Node.cast((Map<?, ?>) d));
        }
        return objects;
    }

    /**
     * Checks that every object is valid against the API schemas and in namespace triplane, and that every
     * reference to a generated Secret or ConfigMap carries kustomize's hashed name.
     *
     * @return the values of the generated Secrets except owner-user, decoded
     */
    private static List<String> validInTheNamespace(List<Map<String, Object>> objects) {
        SchemaCatalog catalog = SchemaCatalog.vendored();
        Set<String> generatedNames = new HashSet<>();
        List<String> values = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            String what = Node.string(o, "kind") + "/" + Node.string(o, "metadata", "name");
            assertEquals(List.of(), catalog.validate(o), what);
            if (!"Namespace".equals(Node.string(o, "kind"))) {
                assertEquals("triplane", Node.string(o, "metadata", "namespace"), what);
            }
            if ("Secret".equals(Node.string(o, "kind"))) {
                Node.map(o, "data").forEach((key, value) -> {
                    if (!key.equals("owner-user")) {
                        values.add(new String(Base64.getMimeDecoder().decode(value.toString()), StandardCharsets.UTF_8));
                    }
                });
            }
            if (Set.of("Secret", "ConfigMap").contains(Node.string(o, "kind"))) {
                generatedNames.add(Node.string(o, "metadata", "name"));
            }
        }
        assertEquals(4, generatedNames.stream().filter(n -> n.matches(GENERATED + "-.+")).count(),
                "generated Secrets and ConfigMap " + generatedNames);
        // why: kustomize renames generated objects (content hash) and must rewrite every reference to them,
        // also those of a component's objects to the main kustomization's generators
        for (Map<String, Object> o : objects) {
            Map<String, Object> pod = Node.map(o, "spec", "template", "spec");
            List<String> refs = new ArrayList<>();
            for (Object v : Node.list(pod, "volumes")) {
                refs.add(Node.string(v, "secret", "secretName"));
                refs.add(Node.string(v, "configMap", "name"));
            }
            for (String containers : List.of("initContainers", "containers")) {
                for (Object c : Node.list(pod, containers)) {
                    for (Object e : Node.list(c, "env")) {
                        refs.add(Node.string(e, "valueFrom", "secretKeyRef", "name"));
                        refs.add(Node.string(e, "valueFrom", "configMapKeyRef", "name"));
                    }
                }
            }
            for (String ref : refs) {
                if (ref != null && ref.matches(GENERATED + "(-.*)?")) {
                    assertTrue(generatedNames.contains(ref), Node.string(o, "metadata", "name") + " refers to " + ref
                            + ", rendered: " + generatedNames);
                }
            }
        }
        return values;
    }

    /** The names of the Secrets and the ConfigMap that kustomization.yaml generates. */
    private static final String GENERATED = "triplane-(postgres|s3|gateway|object-store)";

    private static void assertStrongAndDistinct(List<String> generated, int expected, String what) {
        assertEquals(expected, generated.size(), what + ": " + generated.size() + " values");
        assertEquals(expected, new HashSet<>(generated).size(), "generated credentials must differ from each other");
        for (String v : generated) {
            assertTrue(v.matches("[0-9a-f]{64}"), "32 random bytes in hex, got " + v.length() + " characters");
        }
    }

    /** @return the one rendered object of {@code kind} whose name is {@code name}, or begins with it when it ends in - */
    private static Map<String, Object> only(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = objects.stream().filter(o -> kind.equals(Node.string(o, "kind")))
                .filter(o -> name.endsWith("-") ? Node.string(o, "metadata", "name").startsWith(name)
                        : name.equals(Node.string(o, "metadata", "name")))
                .toList();
        assertEquals(1, found.size(), kind + " " + name + ": " + found.size() + " rendered");
        return found.get(0);
    }
}
