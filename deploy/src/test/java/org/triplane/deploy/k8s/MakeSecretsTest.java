package org.triplane.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.deploy.k8s.ManifestSet.Node;

/**
 * {@code make-secrets.sh} for the in-cluster object store ({@code OBJECT_STORE=in-cluster}): random keys
 * that the store and the services share, the component's Service as the services' endpoint, nothing
 * reused from a store outside the cluster, and refusals that name the variable before anything is
 * written. Needs only {@code sh}; {@link RenderedManifestsTest} renders the result with kubectl.
 */
class MakeSecretsTest {
    private static final Map<String, String> IN_CLUSTER = Map.of("OBJECT_STORE", "in-cluster");

    private static CommandRun makeSecrets(Path k8s, Map<String, String> env) throws IOException, InterruptedException {
        return CommandRun.run(List.of("sh", k8s.resolve("make-secrets.sh").toString()), k8s.getParent(), env);
    }

    /** @return the URL of the component's Service, as the services in its namespace reach it */
    private static String storeService(Path k8s) {
        Object service = ManifestSet.load(k8s.resolve("components/object-store")).find("Service", "object-store")
                .orElseThrow().doc();
        return "http://" + Node.string(service, "metadata", "name") + ":"
                + Node.string(Node.list(service, "spec", "ports").get(0), "port");
    }

    private static String secret(Path k8s, String name) throws IOException {
        return Files.readString(k8s.resolve("secrets").resolve(name));
    }

    @Test
    void theInClusterStoreGetsRandomKeysAndItsServiceAsTheEndpoint(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);

        CommandRun made = makeSecrets(k8s, IN_CLUSTER);

        assertEquals(0, made.exit(), made.err());
        assertEquals(storeService(k8s), secret(k8s, "object-store-endpoint"));
        String access = secret(k8s, "s3-access-key");
        String key = secret(k8s, "s3-secret-key");
        assertTrue(access.matches("[0-9a-f]{64}") && key.matches("[0-9a-f]{64}"), access + " / " + key);
        assertNotEquals(access, key);
        assertEquals("triplane", secret(k8s, "object-store-bucket"));

        CommandRun again = makeSecrets(k8s, IN_CLUSTER);

        assertEquals(0, again.exit(), again.err());
        assertEquals(access, secret(k8s, "s3-access-key"), "a second run keeps the keys the store already serves");
        assertEquals(key, secret(k8s, "s3-secret-key"));
    }

    @Test
    void keysGivenForAStoreOutsideAreNotReusedForTheInClusterOne(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);
        CommandRun outside = makeSecrets(k8s, Map.of("S3_ENDPOINT", "https://s3.example.org", "S3_ACCESS_KEY", "bucket-user",
                "S3_SECRET_KEY", "secret-of-the-outside-store"));
        assertEquals(0, outside.exit(), outside.err());

        CommandRun made = makeSecrets(k8s, IN_CLUSTER);

        assertEquals(0, made.exit(), made.err());
        assertTrue(secret(k8s, "s3-access-key").matches("[0-9a-f]{64}"), secret(k8s, "s3-access-key"));
        assertTrue(secret(k8s, "s3-secret-key").matches("[0-9a-f]{64}"), "the outside store's secret key was kept");
        assertEquals(storeService(k8s), secret(k8s, "object-store-endpoint"));
    }

    @Test
    void anEndpointGivenWithTheInClusterStoreIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);

        CommandRun made = makeSecrets(k8s, Map.of("OBJECT_STORE", "in-cluster", "S3_ENDPOINT", "https://s3.example.org"));

        assertEquals(2, made.exit(), made.out());
        assertTrue(made.err().contains("S3_ENDPOINT is set, but OBJECT_STORE=in-cluster"), made.err());
        assertEquals(List.of(), written(k8s));
    }

    @Test
    void anUnknownStoreKindIsRefused(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);

        CommandRun made = makeSecrets(k8s, Map.of("OBJECT_STORE", "incluster"));

        assertEquals(2, made.exit(), made.out());
        assertTrue(made.err().contains("OBJECT_STORE must be external") && made.err().contains("'incluster'"), made.err());
        assertEquals(List.of(), written(k8s));
    }

    @Test
    void aBucketNameThatS3RefusesIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path k8s = ManifestsTest.copyWithoutSecrets(tmp);

        CommandRun upper = makeSecrets(k8s, Map.of("OBJECT_STORE", "in-cluster", "S3_BUCKET", "Scans_2026"));
        CommandRun tooLong = makeSecrets(k8s, Map.of("OBJECT_STORE", "in-cluster", "S3_BUCKET", "s".repeat(64)));

        assertEquals(2, upper.exit(), upper.out());
        assertTrue(upper.err().contains("S3_BUCKET 'Scans_2026' is not a bucket name"), upper.err());
        assertEquals(2, tooLong.exit(), tooLong.out());
        assertTrue(tooLong.err().contains("longer than 63 characters"), tooLong.err());
        assertEquals(List.of(), written(k8s));
    }

    private static List<Path> written(Path k8s) throws IOException {
        Path secrets = k8s.resolve("secrets");
        if (!Files.exists(secrets)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(secrets)) {
            return s.toList();
        }
    }
}
