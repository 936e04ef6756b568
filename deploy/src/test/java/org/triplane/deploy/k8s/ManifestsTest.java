package org.triplane.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.triplane.deploy.local.StackConfig;
import org.triplane.events.Topics;

/**
 * The Kubernetes manifests under {@code deploy/k8s} are consistent with each other and with the
 * services, checked without a cluster: every document parses and is listed in kustomization.yaml,
 * workloads have images, resources and health probes, Services, PodDisruptionBudgets and every
 * ConfigMap/Secret/volume reference find their target, the KafkaTopics are exactly the topics of
 * {@link Topics} (plus the training topic), and KEDA never scales the gpu-workers past the
 * plane-task partitions. A second set of cases breaks one thing in a copy of the folder and checks
 * that the problem is reported with its file.
 */
class ManifestsTest {

    static final ManifestChecker.Policy POLICY = new ManifestChecker.Policy(
            Topics.ALL.stream().map(Topics.Spec::name).collect(Collectors.toCollection(TreeSet::new)),
            Set.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker"),
            // why: the gpu-worker's default consumer group (triplane.gpu.consumer-group)
            "gpu-worker", Topics.PLANE_TASKS, "triplane-gpu-worker",
            "triplane-config", "kafka-bootstrap");

    /** why: surefire runs with the module folder (deploy/) as working directory. */
    static Path k8sDir() {
        return Path.of(System.getProperty("user.dir")).resolve("k8s");
    }

    @Test
    void manifestsAreConsistent() {
        ManifestSet set = ManifestSet.load(k8sDir());
        List<String> problems = ManifestChecker.check(set, POLICY);
        assertTrue(problems.isEmpty(), "problems in " + k8sDir() + ":\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyExpectedKindIsThere() {
        ManifestSet set = ManifestSet.load(k8sDir());
        // why: an empty or half-loaded folder would pass the consistency checks vacuously
        assertEquals(4 + 1, set.ofKind("Deployment").size() + set.ofKind("Job").size(), "Deployments + Jobs");
        assertEquals(2, set.ofKind("StatefulSet").size(), "StatefulSets (postgres, minio)");
        assertEquals(6, set.ofKind("KafkaTopic").size(), "KafkaTopics");
        assertEquals(1, set.ofKind("Kafka").size(), "Kafka clusters");
        assertTrue(set.find("ScaledObject", "gpu-worker").isPresent(), "ScaledObject gpu-worker");
        assertEquals(24, ((Number) ManifestSet.Node.get(set.ofKind("KafkaTopic").stream()
                .filter(t -> t.name().equals(Topics.PLANE_TASKS)).findFirst().orElseThrow().doc(),
                "spec", "partitions")).intValue(), "plane-tasks partitions");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"api-gateway, " + StackConfig.GATEWAY_MAX_HEAP, "preprocess-worker, " + StackConfig.PREPROCESS_MAX_HEAP,
        "fusion-worker, " + StackConfig.FUSION_MAX_HEAP})
    void theServicesRunWithTheLocalStacksHeap(String deploymentName, String heap) {
        ManifestSet set = ManifestSet.load(k8sDir());
        Object deployment = set.find("Deployment", deploymentName).orElseThrow().doc();
        List<Object> env = ManifestSet.Node.list(ManifestSet.Node.list(deployment, "spec", "template", "spec", "containers")
                .get(0), "env");
        String options = env.stream().filter(e -> "JAVA_TOOL_OPTIONS".equals(ManifestSet.Node.string(e, "name")))
                .map(e -> ManifestSet.Node.string(e, "value")).findFirst().orElse("");

        assertEquals("-Xmx" + heap, options, deploymentName + ".yaml JAVA_TOOL_OPTIONS");
    }

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            scaling.yaml           | maxReplicaCount: 12                  | maxReplicaCount: 30              | scaling.yaml#0 ScaledObject/gpu-worker: maxReplicaCount 30 exceeds the 24 partitions of triplane.plane-tasks
            kustomization.yaml     | '  - fusion-worker.yaml\\n'           | ''                               | fusion-worker.yaml: not listed in kustomization.yaml
            api-gateway.yaml       | key: admin-token                     | key: admin-tokn                  | api-gateway.yaml#1 Deployment/api-gateway: container api-gateway env TRIPLANE_ADMIN_TOKEN refers to key admin-tokn of Secret triplane-gateway
            preprocess-worker.yaml | path: /q/health/ready                | path: /q/health/readyz           | preprocess-worker.yaml#1 Deployment/preprocess-worker: readinessProbe must be an httpGet of /q/health/ready
            kafka-topics.yaml      | topicName: triplane.dead-letter      | topicName: triplane.dead-letters | kafka-topics.yaml#4 KafkaTopic/triplane.dead-letter: topic triplane.dead-letters is not one the services use
            fusion-worker.yaml     | '    app.kubernetes.io/name: fusion-worker\\n  ports:' | '    app.kubernetes.io/name: fusion\\n  ports:' | fusion-worker.yaml#0 Service/fusion-worker: selector {app.kubernetes.io/name=fusion} matches no workload
            gpu-worker.yaml        | '              nvidia.com/gpu: 1\\n          volumeMounts' | '          volumeMounts' | gpu-worker.yaml#1 Deployment/gpu-worker: resources.limits.nvidia.com/gpu must be 1
            gpu-worker.yaml        | 'value: cuda\n'                      | 'value: auto\n'                  | gpu-worker.yaml#1 Deployment/gpu-worker: env TRIPLANE_GPU_DEVICE must be cuda or cuda:N, is auto
            minio.yaml             | value: triplane.bucket-notifications | value: triplane.bucket-events    | minio.yaml#1 StatefulSet/minio: env MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY names topic triplane.bucket-events
            """)
    void aBrokenCopyIsReportedWithItsFile(String file, String from, String to, String expected, @TempDir Path tmp)
            throws IOException {
        copy(k8sDir(), tmp);
        Path target = tmp.resolve(file);
        String text = Files.readString(target);
        String find = from.replace("\\n", "\n");
        assertTrue(text.contains(find), file + " no longer contains the text this case edits: " + find);
        Files.writeString(target, text.replace(find, to.replace("\\n", "\n")));
        List<String> problems = ManifestChecker.check(ManifestSet.load(tmp), POLICY);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing \"" + expected + "\", got:\n  " + String.join("\n  ", problems));
    }

    @Test
    void aMountOfAnUndefinedVolumeIsReported(@TempDir Path tmp) throws IOException {
        copy(k8sDir(), tmp);
        Path target = tmp.resolve("gpu-worker.yaml");
        String text = Files.readString(target);
        String find = "        - name: djl-cache\n          emptyDir:";
        assertTrue(text.contains(find), "gpu-worker.yaml no longer declares the djl-cache volume as this case expects");
        Files.writeString(target, text.replace(find, "        - name: model-cache\n          emptyDir:"));
        List<String> problems = ManifestChecker.check(ManifestSet.load(tmp), POLICY);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("gpu-worker.yaml")
                        && p.contains("mounts volume djl-cache, which is neither a volume")),
                String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.contains("DJL_CACHE_DIR /var/cache/djl must be the mountPath of an emptyDir")),
                String.join("\n", problems));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
