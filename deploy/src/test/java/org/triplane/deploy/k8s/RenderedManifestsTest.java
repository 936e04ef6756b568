package org.triplane.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.deploy.k8s.ManifestSet.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What {@code kubectl apply -k deploy/k8s} would send, rendered by the {@code kubectl kustomize} on the
 * PATH (CI's image has kubectl 1.32): refused until {@code make-secrets.sh} has written the credentials,
 * and afterwards every object valid against the API schemas ({@link SchemaCatalog}), in namespace
 * {@code triplane}, with strong, distinct generated credentials that the Deployments find under
 * kustomize's hashed names. {@link ManifestsTest} checks the files themselves and needs no kubectl;
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

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> command, Path dir, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not finish within 120 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** @return a copy of deploy/k8s without the secrets/ that make-secrets.sh may have written there */
    private static Path copyWithoutSecrets(Path tmp) throws IOException {
        Path k8s = tmp.resolve("k8s");
        ManifestsTest.copy(ManifestsTest.k8sDir(), k8s);
        Path secrets = k8s.resolve("secrets");
        if (Files.exists(secrets)) {
            try (Stream<Path> s = Files.walk(secrets)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return k8s;
    }

    @Test
    void beforeMakeSecretsTheRenderingStopsNamingTheMissingFile(@TempDir Path tmp) throws Exception {
        Path k8s = copyWithoutSecrets(tmp);

        Run r = run(List.of(kubectl.toString(), "kustomize", k8s.toString()), tmp, Map.of());

        assertNotEquals(0, r.exit(), "kubectl kustomize rendered without credentials:\n" + r.out());
        assertTrue(r.err().contains("secrets/") && r.err().contains("no such file"), r.err());
    }

    @Test
    void afterMakeSecretsEveryObjectIsValidInTheNamespaceWithStrongDistinctCredentials(@TempDir Path tmp) throws Exception {
        Path k8s = copyWithoutSecrets(tmp);
        Map<String, String> store = Map.of("S3_ENDPOINT", "https://s3.example.org", "S3_ACCESS_KEY", "triplane-bucket-user",
                "S3_SECRET_KEY", "given-secret-key-of-the-store");
        Run made = run(List.of("sh", k8s.resolve("make-secrets.sh").toString()), tmp, store);
        assertEquals(0, made.exit(), made.err());

        Run r = run(List.of(kubectl.toString(), "kustomize", k8s.toString()), tmp, Map.of());
        assertEquals(0, r.exit(), r.err());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r.out())) {
            objects.add(Node.cast((Map<?, ?>) d));
        }

        assertEquals(ManifestSet.load(ManifestsTest.k8sDir()).all().size(), objects.size(),
                "objects rendered vs. documents and generated objects in the folder");
        SchemaCatalog catalog = SchemaCatalog.vendored();
        Set<String> secretNames = new HashSet<>();
        List<String> values = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            String what = Node.string(o, "kind") + "/" + Node.string(o, "metadata", "name");
            assertEquals(List.of(), catalog.validate(o), what);
            if (!"Namespace".equals(Node.string(o, "kind"))) {
                assertEquals("triplane", Node.string(o, "metadata", "namespace"), what);
            }
            if ("Secret".equals(Node.string(o, "kind"))) {
                secretNames.add(Node.string(o, "metadata", "name"));
                Node.map(o, "data").forEach((key, value) -> {
                    if (!key.equals("owner-user")) {
                        values.add(new String(Base64.getMimeDecoder().decode(value.toString()), StandardCharsets.UTF_8));
                    }
                });
            }
        }
        assertEquals(3, secretNames.size(), "generated Secrets " + secretNames);
        assertTrue(values.contains("triplane-bucket-user") && values.contains("given-secret-key-of-the-store"), values.toString());
        List<String> generated = values.stream().filter(v -> !v.startsWith("triplane-bucket") && !v.startsWith("given-")).toList();
        assertEquals(5, generated.size(), "three PostgreSQL passwords, the admin token and the report-signing key");
        assertEquals(5, new HashSet<>(generated).size(), "generated credentials must differ from each other");
        for (String v : generated) {
            assertTrue(v.matches("[0-9a-f]{64}"), "32 random bytes in hex, got " + v.length() + " characters");
        }
        // why: kustomize renames generated Secrets (content hash) and must rewrite the Deployments' references
        for (Map<String, Object> o : objects) {
            for (Object c : Node.list(o, "spec", "template", "spec", "containers")) {
                for (Object e : Node.list(c, "env")) {
                    String ref = Node.string(e, "valueFrom", "secretKeyRef", "name");
                    if (ref != null && ref.matches("triplane-(postgres|s3|gateway)(-.*)?")) {
                        assertTrue(secretNames.contains(ref), Node.string(o, "metadata", "name") + " env "
                                + Node.string(e, "name") + " refers to " + ref + ", rendered: " + secretNames);
                    }
                }
            }
        }
    }
}
