package org.triplane.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * The Kubernetes manifests under {@code deploy/k8s} deploy on a current cluster and are consistent
 * with each other and with the services, checked without a cluster: every document is valid against
 * the API schema of Kubernetes 1.32 or the CRDs of Strimzi 1.2 and KEDA 2.20 ({@link SchemaCatalog}:
 * served versions, no unknown fields, required fields present) and is listed in kustomization.yaml;
 * workloads have images of the build's tag, resources, health probes and the restricted security
 * profile; Services, PodDisruptionBudgets and every ConfigMap/Secret/volume reference find their
 * target (generated ones and the Strimzi operators' included); no credential is written in a file;
 * Kafka authenticates every client; NetworkPolicies deny by default; the KafkaTopics are exactly the
 * topics of {@link Topics} (plus the training topic); KEDA never scales the gpu-workers past the
 * plane-task partitions and owns the replica counts. The overlay with the in-cluster object store
 * ({@link #STORE_OVERLAY}) is checked the same way, composed as kustomize composes it, together with
 * {@link InClusterStoreCheck}. Further cases break one thing in a copy of the folder (or of the overlay)
 * and check that the problem is reported with its file.
 *
 * <p>The files are read as they are rather than rendered with {@code kubectl kustomize}: the build then
 * needs nothing outside Maven on any machine, and kustomize adds only the namespace and the generated
 * Secrets and ConfigMaps, which {@link ManifestSet} models from kustomization.yaml.
 */
class ManifestsTest {

    static final ManifestChecker.Policy POLICY = new ManifestChecker.Policy(
            Topics.ALL.stream().map(Topics.Spec::name).collect(Collectors.toCollection(TreeSet::new)),
            Set.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker"),
            // why: the gpu-worker's default consumer group (triplane.gpu.consumer-group)
            "gpu-worker", Topics.PLANE_TASKS, "triplane-gpu-worker",
            "triplane-config", "kafka-bootstrap", imageTag(), "api-gateway", "object-store", "triplane-object-store");

    /** The overlay with the in-cluster object store, relative to {@link #deployDir()}. */
    static final String STORE_OVERLAY = "overlays/in-cluster-object-store";

    /** @return the tag the build gives the images: surefire passes the project version */
    static String imageTag() {
        String tag = System.getProperty("triplane.image-tag");
        if (tag == null || tag.isBlank()) {
            throw new IllegalStateException("system property triplane.image-tag is not set: run through Maven (deploy/pom.xml sets it)");
        }
        return tag;
    }

    /** why: surefire runs with the module folder (deploy/) as working directory. */
    static Path deployDir() {
        return Path.of(System.getProperty("user.dir"));
    }

    static Path k8sDir() {
        return deployDir().resolve("k8s");
    }

    /** @return what {@link #STORE_OVERLAY} makes, in the deploy folder {@code top} (files named relative to it) */
    static ManifestSet storeOverlay(Path top) {
        return ManifestSet.build(top.resolve(STORE_OVERLAY), top);
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
        assertEquals(4, set.ofKind("Deployment").size(), "Deployments");
        assertEquals(1, set.ofKind("StatefulSet").size(), "StatefulSets (postgres)");
        assertEquals(6, set.ofKind("KafkaTopic").size(), "KafkaTopics");
        assertEquals(1, set.ofKind("Kafka").size(), "Kafka clusters");
        assertEquals(6, set.ofKind("KafkaUser").size(), "KafkaUsers (four services, KEDA, the object store)");
        assertEquals(3, set.ofKind("Secret").size(), "generated Secrets");
        assertEquals(5, set.ofKind("NetworkPolicy").size(), "NetworkPolicies");
        assertTrue(set.find("ScaledObject", "gpu-worker").isPresent(), "ScaledObject gpu-worker");
        assertEquals(24, ((Number) ManifestSet.Node.get(set.ofKind("KafkaTopic").stream()
                .filter(t -> t.name().equals(Topics.PLANE_TASKS)).findFirst().orElseThrow().doc(),
                "spec", "partitions")).intValue(), "plane-tasks partitions");
        // why: the optional component below k8s/ is a kustomization of its own, not part of the main one
        assertEquals(List.of(""), set.roots().stream().map(ManifestSet.Root::path).toList(), "kustomization folders");
    }

    @Test
    void theOverlayWithTheInClusterObjectStoreIsConsistent() {
        ManifestSet set = storeOverlay(deployDir());
        List<String> problems = ManifestChecker.check(set, POLICY);
        assertTrue(problems.isEmpty(), "problems in " + STORE_OVERLAY + ":\n  " + String.join("\n  ", problems));
    }

    @Test
    void theOverlayAddsTheStoreAndNarrowsTheServicesEgressToIt() {
        ManifestSet main = ManifestSet.load(k8sDir());
        ManifestSet overlay = storeOverlay(deployDir());
        Set<String> added = overlay.all().stream().map(m -> m.kind() + "/" + m.name()).collect(Collectors.toCollection(TreeSet::new));
        added.removeAll(main.all().stream().map(m -> m.kind() + "/" + m.name()).toList());

        assertEquals(Set.of("StatefulSet/object-store", "Service/object-store", "NetworkPolicy/object-store"), added);
        assertEquals(main.all().size() + 3, overlay.all().size(), "objects of the overlay");
        assertEquals(List.of(STORE_OVERLAY, "k8s", "k8s/components/object-store"),
                overlay.roots().stream().map(ManifestSet.Root::path).toList(), "kustomization folders");
        Object egress = overlay.find("NetworkPolicy", "services-egress").orElseThrow().doc();
        assertEquals("object-store", ManifestSet.Node.string(ManifestSet.Node.list(ManifestSet.Node.list(egress, "spec", "egress")
                .get(3), "to").get(0), "podSelector", "matchLabels", "app.kubernetes.io/name"), "the patched egress rule");
        assertTrue(ManifestSet.Node.list(egress, "spec", "egress").stream()
                .noneMatch(rule -> ManifestSet.Node.list(rule, "to").stream().anyMatch(p -> ManifestSet.Node.get(p, "ipBlock") != null)),
                "no egress to outside addresses is left: " + egress);
        Object mainEgress = main.find("NetworkPolicy", "services-egress").orElseThrow().doc();
        assertEquals("0.0.0.0/0", ManifestSet.Node.string(ManifestSet.Node.list(ManifestSet.Node.list(mainEgress, "spec", "egress")
                .get(3), "to").get(0), "ipBlock", "cidr"), "the main kustomization keeps its egress to an outside store");
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
            scaling.yaml           | maxReplicaCount: 12                  | maxReplicaCount: 30              | scaling.yaml#1 ScaledObject/gpu-worker: maxReplicaCount 30 exceeds the 24 partitions of triplane.plane-tasks
            kustomization.yaml     | '  - fusion-worker.yaml\\n'           | ''                               | fusion-worker.yaml: not listed in kustomization.yaml
            api-gateway.yaml       | key: admin-token                     | key: admin-tokn                  | api-gateway.yaml#1 Deployment/api-gateway: container api-gateway env TRIPLANE_ADMIN_TOKEN refers to key admin-tokn of Secret triplane-gateway
            preprocess-worker.yaml | path: /q/health/ready                | path: /q/health/readyz           | preprocess-worker.yaml#1 Deployment/preprocess-worker: readinessProbe must be an httpGet of /q/health/ready
            kafka-topics.yaml      | topicName: triplane.dead-letter      | topicName: triplane.dead-letters | kafka-topics.yaml#4 KafkaTopic/triplane.dead-letter: topic triplane.dead-letters is not one the services use
            fusion-worker.yaml     | '    app.kubernetes.io/name: fusion-worker\\n  ports:' | '    app.kubernetes.io/name: fusion\\n  ports:' | fusion-worker.yaml#0 Service/fusion-worker: selector {app.kubernetes.io/name=fusion} matches no workload
            gpu-worker.yaml        | '              nvidia.com/gpu: 1\\n          volumeMounts' | '          volumeMounts' | gpu-worker.yaml#1 Deployment/gpu-worker: resources.limits.nvidia.com/gpu must be 1
            gpu-worker.yaml        | 'value: cuda\n'                      | 'value: auto\n'                  | gpu-worker.yaml#1 Deployment/gpu-worker: env TRIPLANE_GPU_DEVICE must be cuda or cuda:N, is auto
            kafka.yaml             | 'apiVersion: kafka.strimzi.io/v1\\nkind: Kafka\\n' | 'apiVersion: kafka.strimzi.io/v1beta2\\nkind: Kafka\\n' | kafka.yaml#1 Kafka/triplane-kafka: kafka.strimzi.io/v1beta2 Kafka is not served by the vendored schemas
            api-gateway.yaml       | 'apiVersion: apps/v1\\nkind: Deployment' | 'apiVersion: apps/v1beta1\\nkind: Deployment' | api-gateway.yaml#1 Deployment/api-gateway: apps/v1beta1 Deployment is not served by the vendored schemas
            gpu-worker.yaml        | 'terminationGracePeriodSeconds: 120' | 'terminationGracePeriod: 120'    | gpu-worker.yaml#1 Deployment/gpu-worker: /spec/template/spec: property 'terminationGracePeriod' is not defined in the schema
            kafka-users.yaml       | 'operations: [Describe]\\n      - resource:' | 'operation: Describe\\n      - resource:' | kafka-users.yaml#4 KafkaUser/triplane-keda: /spec/authorization/acls/0: property 'operation' is not defined in the schema
            fusion-worker.yaml     | '  selector:\\n    matchLabels:\\n      app.kubernetes.io/name: fusion-worker\\n  template:' | '  template:' | fusion-worker.yaml#1 Deployment/fusion-worker: /spec: required property 'selector' not found
            kafka.yaml             | '  replicas: 3\\n  roles:'             | '  roles:'                        | kafka.yaml#0 KafkaNodePool/dual-role: /spec: required property 'replicas' not found
            preprocess-worker.yaml | '  selector:\\n'                     | '  replicas: 1\\n  selector:\\n'    | preprocess-worker.yaml#1 Deployment/preprocess-worker: spec.replicas is set, but ScaledObject preprocess-worker owns the count
            api-gateway.yaml       | 'allowPrivilegeEscalation: false'    | 'allowPrivilegeEscalation: true' | api-gateway.yaml#1 Deployment/api-gateway: container api-gateway securityContext.allowPrivilegeEscalation must be false
            postgres.yaml          | '              drop: [ALL]\\n'      | '              drop: [NET_RAW]\\n' | postgres.yaml#1 StatefulSet/postgres: container postgres securityContext.capabilities.drop must hold ALL
            fusion-worker.yaml     | '        seccompProfile:\\n          type: RuntimeDefault\\n' | '' | fusion-worker.yaml#1 Deployment/fusion-worker: container fusion-worker securityContext.seccompProfile.type must be RuntimeDefault
            gpu-worker.yaml        | 'readOnlyRootFilesystem: true'       | 'readOnlyRootFilesystem: false'  | gpu-worker.yaml#1 Deployment/gpu-worker: container gpu-worker securityContext.readOnlyRootFilesystem must be true
            fusion-worker.yaml     | ':0.1.0-SNAPSHOT'                    | ':0.1.0'                         | fusion-worker.yaml#1 Deployment/fusion-worker: image should be triplane/fusion-worker:0.1.0-SNAPSHOT
            api-gateway.yaml       | '- name: TRIPLANE_REPORT_SIGNING_KEY' | '- name: TRIPLANE_REPORT_KEY'    | api-gateway.yaml#1 Deployment/api-gateway: env TRIPLANE_REPORT_SIGNING_KEY must come from a Secret
            config.yaml            | 'apiVersion: v1\\nkind: ConfigMap'     | 'apiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: triplane-extra\\nstringData:\\n  password: CHANGE-ME\\n---\\napiVersion: v1\\nkind: ConfigMap' | config.yaml#0 Secret/triplane-extra: a Secret with its values in a manifest file
            kafka.yaml             | '        authentication:\\n          type: scram-sha-512\\n' | '' | kafka.yaml#1 Kafka/triplane-kafka: listener tls has no authentication
            gpu-worker.yaml        | 'value: SASL_SSL'                    | 'value: PLAINTEXT'               | gpu-worker.yaml#1 Deployment/gpu-worker: env TRIPLANE_KAFKA_SECURITY_PROTOCOL must be SASL_SSL
            preprocess-worker.yaml | 'name: triplane-preprocess-worker\\n                  key: password' | 'name: triplane-gpu-worker\\n                  key: password' | preprocess-worker.yaml#1 Deployment/preprocess-worker: env TRIPLANE_KAFKA_SECURITY_SASL_PASSWORD must come from Secret triplane-preprocess-worker
            scaling.yaml           | '      authenticationRef:\\n        name: triplane-kafka\\n    - type: kafka' | '    - type: kafka' | scaling.yaml#1 ScaledObject/gpu-worker: kafka trigger on triplane.plane-tasks needs sasl and an authenticationRef
            namespace.yaml         | 'enforce: restricted'                | 'enforce: baseline'              | namespace.yaml#0 Namespace/triplane: label pod-security.kubernetes.io/enforce must be restricted
            network-policies.yaml  | 'policyTypes: [Ingress]\\n---'        | 'policyTypes: [Egress]\\n---'    | no NetworkPolicy in
            network-policies.yaml  | 'values: [api-gateway, preprocess-worker, gpu-worker, fusion-worker]\\n  policyTypes: [Egress]' | 'values: [api-gateway, preprocess-worker, fusion-worker]\\n  policyTypes: [Egress]' | gpu-worker.yaml#1 Deployment/gpu-worker: no NetworkPolicy limits its egress
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

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            k8s/components/object-store/network-policies.yaml | 'values: [api-gateway, preprocess-worker, gpu-worker, fusion-worker]' | 'values: [api-gateway, preprocess-worker, fusion-worker]' | StatefulSet/object-store: no NetworkPolicy admits gpu-worker, which uses this object store
            k8s/components/object-store/network-policies.yaml | 'values: [api-gateway, preprocess-worker, gpu-worker, fusion-worker]' | 'values: [api-gateway, preprocess-worker, gpu-worker, fusion-worker, postgres]' | StatefulSet/object-store: a NetworkPolicy admits postgres, which does not use this object store
            k8s/components/object-store/network-policies.yaml | 'policyTypes: [Ingress, Egress]'                      | 'policyTypes: [Ingress]'                            | StatefulSet/object-store: no NetworkPolicy limits its egress
            k8s/components/object-store/network-policies.yaml | '  ingress:\n'                                        | '  egress:\n    - {}\n  ingress:\n'                 | NetworkPolicy/object-store: lets object-store open connections
            k8s/components/object-store/kustomization.yaml    | 'value: 0.0.0.0/0'                                    | 'value: 10.0.0.0/8'                                 | patches[0]: k8s/network-policies.yaml#1 NetworkPolicy/services-egress: test of /spec/egress/3/to/0/ipBlock/cidr failed
            k8s/components/object-store/kustomization.yaml    | 'name: services-egress'                               | 'name: services-egres'                              | k8s/api-gateway.yaml#1 Deployment/api-gateway: no NetworkPolicy lets it reach the pods of StatefulSet object-store
            k8s/components/object-store/kustomization.yaml    | 'kind: Component'                                     | 'kind: Kustomization'                               | k8s/components/object-store/kustomization.yaml: must be a Kustomization (kustomize.config.k8s.io/v1beta1) or a Component
            k8s/components/object-store/kustomization.yaml    | '  - network-policies.yaml\n'                         | ''                                                  | k8s/components/object-store/network-policies.yaml: not listed in k8s/components/object-store/kustomization.yaml
            k8s/components/object-store/object-store.yaml     | 'readOnlyRootFilesystem: true'                        | 'readOnlyRootFilesystem: false'                     | StatefulSet/object-store: container object-store securityContext.readOnlyRootFilesystem must be true
            k8s/components/object-store/object-store.yaml     | 's3proxy:4.1.1\n          securityContext'            | 's3proxy:latest\n          securityContext'        | StatefulSet/object-store: container object-store needs an image with a fixed tag
            k8s/components/object-store/object-store.yaml     | 'secretName: triplane-s3'                             | 'secretName: triplane-postgres'                     | StatefulSet/object-store: does not read Secret triplane-s3, which api-gateway takes its object-store keys from
            k8s/components/object-store/object-store.yaml     | 'key: bucket'                                         | 'key: region'                                       | StatefulSet/object-store: makes no bucket from ConfigMap triplane-object-store key bucket
            k8s/components/object-store/object-store.yaml     | 'fsGroupChangePolicy: OnRootMismatch'                 | 'fsGroupChangePolicies: OnRootMismatch'             | StatefulSet/object-store: /spec/template/spec/securityContext: property 'fsGroupChangePolicies' is not defined in the schema
            k8s/components/object-store/object-store.yaml     | '    - metadata:\n        name: data'                 | '    - metadata:\n        name: blobs'             | StatefulSet/object-store: keeps its objects on no PersistentVolumeClaim
            k8s/components/object-store/object-store.yaml     | '      port: 8080\n      targetPort: s3'             | '      port: 8080\n      targetPort: s4'         | Service/object-store: targetPort s4 is not a container port of object-store
            k8s/components/object-store/object-store.yaml     | '          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: s3\n            periodSeconds: 5\n' | '' | StatefulSet/object-store: container object-store needs a readinessProbe on one of its ports
            k8s/components/object-store/object-store.yaml     | '          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: s3' | '          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: metrics' | StatefulSet/object-store: container object-store needs a livenessProbe on one of its ports
            overlays/in-cluster-object-store/kustomization.yaml | '  - ../../k8s/components/object-store'            | '  - ../../k8s/components/objectstore'              | overlays/in-cluster-object-store/kustomization.yaml: component ../../k8s/components/objectstore is not a folder whose kustomization.yaml is a Component
            """)
    void aBrokenCopyOfTheInClusterStoreIsReportedWithItsFile(String file, String from, String to, String expected, @TempDir Path tmp)
            throws IOException {
        copy(k8sDir(), tmp.resolve("k8s"));
        copy(deployDir().resolve("overlays"), tmp.resolve("overlays"));
        Path target = tmp.resolve(file);
        String text = Files.readString(target);
        String find = from.replace("\\n", "\n");
        assertTrue(text.contains(find), file + " no longer contains the text this case edits: " + find);
        Files.writeString(target, text.replace(find, to.replace("\\n", "\n")));
        List<String> problems = ManifestChecker.check(storeOverlay(tmp), POLICY);
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

    /** Copies the manifest folder, for cases that change or add to it. */
    static void copy(Path from, Path to) throws IOException {
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

    /** @return a copy of deploy/k8s without the secrets/ that make-secrets.sh may have written there */
    static Path copyWithoutSecrets(Path tmp) throws IOException {
        Path k8s = tmp.resolve("k8s");
        copy(k8sDir(), k8s);
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
}
