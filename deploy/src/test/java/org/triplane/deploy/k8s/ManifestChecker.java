package org.triplane.deploy.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.triplane.deploy.k8s.ManifestSet.Manifest;
import org.triplane.deploy.k8s.ManifestSet.Node;

/**
 * Static consistency checks of a manifest folder, without a cluster: each check adds problems that
 * name the file, the document and what is wrong, so a failing test says what to fix.
 */
final class ManifestChecker {
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    static final String GPU = "nvidia.com/gpu";

    /**
     * What the manifests must agree with.
     *
     * @param topics        every Kafka topic the services use (names), exactly the KafkaTopics expected
     * @param services      Deployments that are triplane services: image triplane/NAME, health probes
     * @param gpuDeployment the Deployment that needs a GPU and the DJL settings
     * @param gpuTopic      the topic whose partitions cap the GPU scale-out
     * @param gpuGroup      the GPU workers' consumer group, the one KEDA must measure
     * @param configMap     the shared ConfigMap, and its key holding the Kafka bootstrap servers
     * @param imageTag      the tag the build gives the services' images (the project version; the
     *                      gpu-worker's CUDA build adds {@code -cuda})
     * @param gateway       the Deployment whose replicas must share one report-signing key
     * @param objectStore   the workload of the in-cluster object store, when a component adds it
     * @param storeConfig   the ConfigMap with the object store's endpoint and bucket, which its users read
     */
    record Policy(Set<String> topics, Set<String> services, String gpuDeployment, String gpuTopic, String gpuGroup,
            String configMap, String bootstrapKey, String imageTag, String gateway, String objectStore, String storeConfig) {
    }

    /** The gateway's report-signing key (GatewayConfig.Report#signingKey). */
    static final String SIGNING_KEY_ENV = "TRIPLANE_REPORT_SIGNING_KEY";
    /** The services' Kafka client security (org.triplane.messaging.KafkaSecurity). */
    static final String KAFKA_PROTOCOL_ENV = "TRIPLANE_KAFKA_SECURITY_PROTOCOL";
    static final String KAFKA_USER_ENV = "TRIPLANE_KAFKA_SECURITY_SASL_USERNAME";
    static final String KAFKA_PASSWORD_ENV = "TRIPLANE_KAFKA_SECURITY_SASL_PASSWORD";

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "Job");

    private final ManifestSet set;
    private final Policy policy;
    private final List<String> problems = new ArrayList<>();

    private ManifestChecker(ManifestSet set, Policy policy) {
        this.set = set;
        this.policy = policy;
    }

    /** @return every problem found, empty when the folder is consistent */
    static List<String> check(ManifestSet set, Policy policy) {
        ManifestChecker c = new ManifestChecker(set, policy);
        c.problems.addAll(set.loadProblems());
        c.schemas(SchemaCatalog.vendored());
        c.identities();
        c.kustomization();
        c.workloadSpecs();
        c.services();
        c.references();
        c.topics();
        c.scaledObjects();
        c.gpu();
        c.disruptionBudgets();
        c.restrictedPods();
        c.noReplicasUnderKeda();
        c.credentials();
        c.kafkaAuthentication();
        c.networkPolicies();
        new InClusterStoreCheck(set, policy, c::problem).run();
        return List.copyOf(c.problems);
    }

    /** Each document as the API server would take it: an API version it serves, known fields, required ones there. */
    private void schemas(SchemaCatalog catalog) {
        for (Manifest m : set.all()) {
            for (String p : catalog.validate(m.doc())) {
                problem(m, p);
            }
        }
    }

    void problem(Manifest m, String what) {
        problems.add(m.where() + ": " + what);
    }

    private void identities() {
        for (Manifest m : set.all()) {
            for (String[] path : List.of(new String[] {"apiVersion"}, new String[] {"kind"}, new String[] {"metadata", "name"})) {
                String v = Node.string(m.doc(), path);
                if (v == null || v.isBlank()) {
                    problem(m, "has no " + String.join(".", path));
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (Manifest m : set.all()) {
            if (!seen.add(m.kind() + "/" + m.name())) {
                problem(m, "is defined twice");
            }
        }
    }

    /**
     * Every kustomization folder of the set lists exactly its YAML files and kustomization folders under
     * {@code resources} (kustomize ignores a file it does not list), and its {@code components} are
     * components.
     */
    private void kustomization() {
        for (ManifestSet.Root root : set.roots()) {
            String file = root.kustomizationFile();
            if (root.kustomization() == null) {
                problems.add(file + ": missing (kubectl apply -k needs it)");
                continue;
            }
            String kind = Optional.ofNullable(Node.string(root.kustomization(), "kind")).orElse("Kustomization");
            String apiVersion = Node.string(root.kustomization(), "apiVersion");
            String expected = kind.equals("Component") ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
            if (!Set.of("Kustomization", "Component").contains(kind) || !expected.equals(apiVersion)) {
                problems.add(file + ": must be a Kustomization (kustomize.config.k8s.io/v1beta1) or a Component "
                        + "(kustomize.config.k8s.io/v1alpha1), is " + apiVersion + " " + kind);
            }
            List<String> listed = Node.list(root.kustomization(), "resources").stream().map(Object::toString).toList();
            for (String r : listed) {
                Optional<ManifestSet.Root> folder = set.root(resolve(root, r));
                if (folder.isPresent() && folder.get().isComponent()) {
                    problems.add(file + ": resource " + r + " is a Component; list it under components:");
                } else if (folder.isEmpty() && !root.files().contains(r)) {
                    problems.add(file + ": resource " + r + " is neither a YAML file of " + folderName(root)
                            + " nor a folder with a kustomization.yaml");
                }
            }
            if (new HashSet<>(listed).size() != listed.size()) {
                problems.add(file + ": a resource is listed twice: " + listed);
            }
            for (String f : root.files()) {
                if (!listed.contains(f)) {
                    problems.add(root.label(f) + ": not listed in " + file + " resources, so kubectl apply -k ignores it");
                }
            }
            for (Object c : Node.list(root.kustomization(), "components")) {
                if (!set.root(resolve(root, c.toString())).map(ManifestSet.Root::isComponent).orElse(false)) {
                    problems.add(file + ": component " + c + " is not a folder whose kustomization.yaml is a Component");
                }
            }
        }
    }

    /** @return {@code relative} (a path in {@code root}'s kustomization.yaml) relative to the set's top */
    private String resolve(ManifestSet.Root root, String relative) {
        Path top = set.dir().toAbsolutePath().normalize();
        return top.relativize(top.resolve(root.path()).resolve(relative).normalize()).toString().replace('\\', '/');
    }

    private String folderName(ManifestSet.Root root) {
        return root.path().isEmpty() ? set.dir().toString() : root.path();
    }

    private List<Manifest> workloadList() {
        return workloads(set);
    }

    /** @return the set's Deployments, StatefulSets and Jobs */
    static List<Manifest> workloads(ManifestSet set) {
        return set.all().stream().filter(m -> WORKLOADS.contains(m.kind())).toList();
    }

    static Map<String, Object> podSpec(Manifest m) {
        return Node.map(m.doc(), "spec", "template", "spec");
    }

    static Map<String, String> podLabels(Manifest m) {
        return strings(Node.map(m.doc(), "spec", "template", "metadata", "labels"));
    }

    static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String key : List.of("initContainers", "containers")) {
            for (Object c : Node.list(podSpec, key)) {
                if (c instanceof Map<?, ?> cm) {
                    out.add(Node.cast(cm));
                }
            }
        }
        return out;
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, Objects.toString(v)));
        }
        return out;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private void workloadSpecs() {
        for (Manifest m : workloadList()) {
            Map<String, Object> pod = podSpec(m);
            if (pod == null) {
                problem(m, "has no spec.template.spec");
                continue;
            }
            if (!m.kind().equals("Job")) {
                Map<String, String> selector = strings(Node.map(m.doc(), "spec", "selector", "matchLabels"));
                if (!selects(selector, podLabels(m))) {
                    problem(m, "spec.selector.matchLabels " + selector + " does not match the pod template labels "
                            + podLabels(m));
                }
            }
            List<Map<String, Object>> cs = containers(pod);
            if (cs.isEmpty()) {
                problem(m, "has no containers");
            }
            for (Map<String, Object> c : cs) {
                String name = Node.string(c, "name");
                String image = Node.string(c, "image");
                if (image == null || !image.matches(".+:[^/]+") || image.endsWith(":latest")) {
                    problem(m, "container " + name + " needs an image with a fixed tag, has " + image);
                }
                for (String level : List.of("requests", "limits")) {
                    for (String res : List.of("cpu", "memory")) {
                        if (Node.string(c, "resources", level, res) == null) {
                            problem(m, "container " + name + " has no resources." + level + "." + res);
                        }
                    }
                }
            }
        }
        for (String service : policy.services()) {
            Optional<Manifest> d = set.find("Deployment", service);
            if (d.isEmpty()) {
                problems.add("no Deployment " + service + " in " + set.dir());
                continue;
            }
            Map<String, Object> c = containers(podSpec(d.get())).stream()
                    .filter(x -> service.equals(Node.string(x, "name"))).findFirst().orElse(null);
            if (c == null) {
                problem(d.get(), "has no container named " + service);
                continue;
            }
            String image = Node.string(c, "image");
            String expected = "triplane/" + service + ":" + policy.imageTag() + (service.equals(policy.gpuDeployment()) ? "-cuda" : "");
            if (!expected.equals(image)) {
                problem(d.get(), "image should be " + expected + " (the build's tag, see README.md \"Images\"), is " + image);
            }
            probe(d.get(), c, "livenessProbe", LIVE);
            probe(d.get(), c, "readinessProbe", READY);
        }
    }

    private void probe(Manifest m, Map<String, Object> container, String probe, String path) {
        String actual = Node.string(container, probe, "httpGet", "path");
        if (!path.equals(actual)) {
            problem(m, probe + " must be an httpGet of " + path + ", is " + actual);
            return;
        }
        String port = Node.string(container, probe, "httpGet", "port");
        if (!containerPorts(container).contains(port)) {
            problem(m, probe + " port " + port + " is not a port of the container " + containerPorts(container));
        }
    }

    /** @return the container's port names and numbers, as strings */
    static Set<String> containerPorts(Map<String, Object> container) {
        Set<String> ports = new HashSet<>();
        for (Object p : Node.list(container, "ports")) {
            Optional.ofNullable(Node.string(p, "name")).ifPresent(ports::add);
            Optional.ofNullable(Node.string(p, "containerPort")).ifPresent(ports::add);
        }
        return ports;
    }

    private void services() {
        for (Manifest s : set.ofKind("Service")) {
            Map<String, String> selector = strings(Node.map(s.doc(), "spec", "selector"));
            List<Manifest> targets = workloadList().stream().filter(w -> selects(selector, podLabels(w))).toList();
            if (targets.isEmpty()) {
                problem(s, "selector " + selector + " matches no workload's pod labels");
                continue;
            }
            for (Object p : Node.list(s.doc(), "spec", "ports")) {
                String target = Optional.ofNullable(Node.string(p, "targetPort")).orElse(Node.string(p, "port"));
                boolean found = targets.stream().flatMap(w -> containers(podSpec(w)).stream())
                        .anyMatch(c -> containerPorts(c).contains(target));
                if (!found) {
                    problem(s, "targetPort " + target + " is not a container port of " + targets.get(0).name());
                }
            }
        }
    }

    /**
     * @return the Secrets that the Strimzi operators write, by name, with their keys: the cluster CA's
     *         certificate per Kafka cluster, a password per SCRAM KafkaUser
     */
    private Map<String, Set<String>> operatorSecrets() {
        Map<String, Set<String>> out = new HashMap<>();
        for (Manifest k : set.ofKind("Kafka")) {
            out.put(k.name() + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        for (Manifest u : set.ofKind("KafkaUser")) {
            if ("scram-sha-512".equals(Node.string(u.doc(), "spec", "authentication", "type"))) {
                out.put(u.name(), Set.of("password", "sasl.jaas.config"));
            }
        }
        return out;
    }

    private Set<String> keysOf(String kind, String name) {
        Optional<Manifest> m = set.find(kind, name);
        Set<String> keys = new HashSet<>();
        if (m.isEmpty() && kind.equals("Secret")) {
            keys.addAll(operatorSecrets().getOrDefault(name, Set.of()));
        }
        m.ifPresent(x -> {
            for (String field : List.of("data", "stringData", "binaryData")) {
                Map<String, Object> d = Node.map(x.doc(), field);
                if (d != null) {
                    keys.addAll(d.keySet());
                }
            }
        });
        return keys;
    }

    private void references() {
        for (Manifest w : workloadList()) {
            Map<String, Object> pod = podSpec(w);
            if (pod == null) {
                continue;
            }
            Set<String> volumes = new HashSet<>();
            for (Object v : Node.list(pod, "volumes")) {
                volumes.add(Node.string(v, "name"));
                refer(w, "volume " + Node.string(v, "name"), "ConfigMap", Node.string(v, "configMap", "name"), null);
                refer(w, "volume " + Node.string(v, "name"), "Secret", Node.string(v, "secret", "secretName"), null);
                refer(w, "volume " + Node.string(v, "name"), "PersistentVolumeClaim",
                        Node.string(v, "persistentVolumeClaim", "claimName"), null);
            }
            for (Object t : Node.list(w.doc(), "spec", "volumeClaimTemplates")) {
                volumes.add(Node.string(t, "metadata", "name"));
            }
            String serviceName = Node.string(w.doc(), "spec", "serviceName");
            if (serviceName != null && set.find("Service", serviceName).isEmpty()) {
                problem(w, "spec.serviceName " + serviceName + " is not a Service");
            }
            for (Map<String, Object> c : containers(pod)) {
                String where = "container " + Node.string(c, "name");
                for (Object e : Node.list(c, "envFrom")) {
                    refer(w, where + " envFrom", "ConfigMap", Node.string(e, "configMapRef", "name"), null);
                    refer(w, where + " envFrom", "Secret", Node.string(e, "secretRef", "name"), null);
                }
                for (Object e : Node.list(c, "env")) {
                    String env = where + " env " + Node.string(e, "name");
                    if ("true".equals(Node.string(e, "valueFrom", "configMapKeyRef", "optional"))
                            || "true".equals(Node.string(e, "valueFrom", "secretKeyRef", "optional"))) {
                        continue;
                    }
                    refer(w, env, "ConfigMap", Node.string(e, "valueFrom", "configMapKeyRef", "name"),
                            Node.string(e, "valueFrom", "configMapKeyRef", "key"));
                    refer(w, env, "Secret", Node.string(e, "valueFrom", "secretKeyRef", "name"),
                            Node.string(e, "valueFrom", "secretKeyRef", "key"));
                }
                for (Object vm : Node.list(c, "volumeMounts")) {
                    String v = Node.string(vm, "name");
                    if (!volumes.contains(v)) {
                        problem(w, where + " mounts volume " + v + ", which is neither a volume nor a volumeClaimTemplate");
                    }
                }
            }
        }
    }

    /** Checks that {@code kind/name} is defined (and has {@code key}, when given); a null name refers to nothing. */
    private void refer(Manifest from, String what, String kind, String name, String key) {
        if (name == null) {
            return;
        }
        boolean byOperator = kind.equals("Secret") && operatorSecrets().containsKey(name);
        if (set.find(kind, name).isEmpty() && !byOperator) {
            problem(from, what + " refers to " + kind + " " + name + ", which is not defined");
        } else if (key != null && !keysOf(kind, name).contains(key)) {
            problem(from, what + " refers to key " + key + " of " + kind + " " + name + ", which has no such key "
                    + new TreeSet<>(keysOf(kind, name)));
        }
    }

    private static String topicName(Manifest t) {
        return Optional.ofNullable(Node.string(t.doc(), "spec", "topicName")).orElse(t.name());
    }

    /** @return partitions per topic name, from the KafkaTopic resources */
    private Map<String, Integer> partitions() {
        Map<String, Integer> p = new HashMap<>();
        for (Manifest t : set.ofKind("KafkaTopic")) {
            Integer n = Node.integer(t.doc(), "spec", "partitions");
            p.put(topicName(t), n == null ? 0 : n);
        }
        return p;
    }

    private void topics() {
        Set<String> defined = new TreeSet<>();
        for (Manifest t : set.ofKind("KafkaTopic")) {
            defined.add(topicName(t));
            Integer partitions = Node.integer(t.doc(), "spec", "partitions");
            Integer replicas = Node.integer(t.doc(), "spec", "replicas");
            if (partitions == null || partitions < 1) {
                problem(t, "needs spec.partitions >= 1, has " + partitions);
            }
            String cluster = Node.string(t.doc(), "metadata", "labels", "strimzi.io/cluster");
            if (cluster == null || set.find("Kafka", cluster).isEmpty()) {
                problem(t, "label strimzi.io/cluster " + cluster + " names no Kafka resource");
                continue;
            }
            int brokers = brokers(cluster);
            if (replicas == null || replicas < 1 || replicas > brokers) {
                problem(t, "spec.replicas " + replicas + " must be between 1 and the " + brokers + " brokers of " + cluster);
            }
            Integer minIsr = Node.integer(t.doc(), "spec", "config", "min.insync.replicas");
            if (minIsr != null && replicas != null && minIsr >= replicas) {
                problem(t, "min.insync.replicas " + minIsr + " must be below replicas " + replicas
                        + " (else one broker down stops every write)");
            }
        }
        Set<String> missing = new TreeSet<>(policy.topics());
        missing.removeAll(defined);
        if (!missing.isEmpty()) {
            problems.add("kafka topics used by the services have no KafkaTopic in " + set.dir() + ": " + missing);
        }
        for (Manifest t : set.ofKind("KafkaTopic")) {
            if (!policy.topics().contains(topicName(t))) {
                problem(t, "topic " + topicName(t) + " is not one the services use (org.triplane.events.Topics): "
                        + policy.topics());
            }
        }
        for (Manifest w : workloadList()) {
            for (Map<String, Object> c : containers(podSpec(w))) {
                for (Object e : Node.list(c, "env")) {
                    String name = Node.string(e, "name");
                    String value = Node.string(e, "value");
                    if (name != null && name.contains("TOPIC") && value != null && !defined.contains(value)) {
                        problem(w, "env " + name + " names topic " + value + ", which has no KafkaTopic");
                    }
                }
            }
        }
    }

    private int brokers(String cluster) {
        int n = 0;
        for (Manifest pool : set.ofKind("KafkaNodePool")) {
            boolean broker = Node.list(pool.doc(), "spec", "roles").contains("broker");
            if (broker && cluster.equals(Node.string(pool.doc(), "metadata", "labels", "strimzi.io/cluster"))) {
                n += Optional.ofNullable(Node.integer(pool.doc(), "spec", "replicas")).orElse(0);
            }
        }
        return n;
    }

    private void scaledObjects() {
        Map<String, Integer> partitions = partitions();
        String bootstrap = set.find("ConfigMap", policy.configMap())
                .map(m -> Node.string(m.doc(), "data", policy.bootstrapKey())).orElse(null);
        for (Manifest so : set.ofKind("ScaledObject")) {
            String kind = Optional.ofNullable(Node.string(so.doc(), "spec", "scaleTargetRef", "kind")).orElse("Deployment");
            String target = Node.string(so.doc(), "spec", "scaleTargetRef", "name");
            if (target == null || set.find(kind, target).isEmpty()) {
                problem(so, "scaleTargetRef names " + kind + " " + target + ", which is not defined");
            }
            Integer max = Node.integer(so.doc(), "spec", "maxReplicaCount");
            if (max == null) {
                problem(so, "needs an explicit maxReplicaCount (KEDA's default 100 exceeds every partition count)");
                continue;
            }
            int widest = 0;
            for (Object t : Node.list(so.doc(), "spec", "triggers")) {
                String auth = Node.string(t, "authenticationRef", "name");
                if (auth != null && set.find("TriggerAuthentication", auth).isEmpty()) {
                    problem(so, "trigger authenticationRef " + auth + " is not a TriggerAuthentication");
                }
                if (!"kafka".equals(Node.string(t, "type"))) {
                    continue;
                }
                String topic = Node.string(t, "metadata", "topic");
                if (!partitions.containsKey(topic)) {
                    problem(so, "kafka trigger topic " + topic + " has no KafkaTopic");
                    continue;
                }
                widest = Math.max(widest, partitions.get(topic));
                String servers = Node.string(t, "metadata", "bootstrapServers");
                if (!Objects.equals(servers, bootstrap)) {
                    problem(so, "kafka trigger bootstrapServers " + servers + " differs from the services' "
                            + policy.configMap() + "." + policy.bootstrapKey() + " " + bootstrap);
                }
                if (Node.string(t, "metadata", "consumerGroup") == null) {
                    problem(so, "kafka trigger on " + topic + " names no consumerGroup");
                }
            }
            if (widest > 0 && max > widest) {
                problem(so, "maxReplicaCount " + max + " exceeds the " + widest
                        + " partitions of its topics: the extra consumers would get no partition");
            }
        }
        gpuScaling(partitions);
    }

    private void gpuScaling(Map<String, Integer> partitions) {
        List<Manifest> gpu = set.ofKind("ScaledObject").stream()
                .filter(so -> policy.gpuDeployment().equals(Node.string(so.doc(), "spec", "scaleTargetRef", "name")))
                .toList();
        if (gpu.size() != 1) {
            problems.add("expected one ScaledObject for Deployment " + policy.gpuDeployment() + ", found " + gpu.size());
            return;
        }
        Manifest so = gpu.get(0);
        boolean onLag = Node.list(so.doc(), "spec", "triggers").stream()
                .anyMatch(t -> "kafka".equals(Node.string(t, "type"))
                        && policy.gpuTopic().equals(Node.string(t, "metadata", "topic"))
                        && policy.gpuGroup().equals(Node.string(t, "metadata", "consumerGroup")));
        if (!onLag) {
            problem(so, "needs a kafka trigger on " + policy.gpuTopic() + " for consumer group " + policy.gpuGroup());
        }
        Integer max = Node.integer(so.doc(), "spec", "maxReplicaCount");
        Integer cap = partitions.get(policy.gpuTopic());
        if (max != null && cap != null && max > cap) {
            problem(so, "maxReplicaCount " + max + " exceeds the " + cap + " partitions of " + policy.gpuTopic());
        }
    }

    private void gpu() {
        Optional<Manifest> d = set.find("Deployment", policy.gpuDeployment());
        if (d.isEmpty()) {
            return; // reported by workloadSpecs
        }
        Map<String, Object> pod = podSpec(d.get());
        Map<String, Object> c = containers(pod).stream()
                .filter(x -> policy.gpuDeployment().equals(Node.string(x, "name"))).findFirst().orElse(Map.of());
        for (String level : List.of("requests", "limits")) {
            if (!"1".equals(Node.string(c, "resources", level, GPU))) {
                problem(d.get(), "resources." + level + "." + GPU + " must be 1, is " + Node.string(c, "resources", level, GPU));
            }
        }
        boolean tolerates = Node.list(pod, "tolerations").stream().anyMatch(t -> GPU.equals(Node.string(t, "key")));
        if (!tolerates) {
            problem(d.get(), "has no toleration for the " + GPU + " taint of GPU nodes");
        }
        if (Node.map(pod, "nodeSelector") == null && Node.map(pod, "affinity", "nodeAffinity") == null) {
            problem(d.get(), "has no nodeSelector or node affinity for GPU nodes");
        }
        Map<String, String> env = new HashMap<>();
        for (Object e : Node.list(c, "env")) {
            env.put(Node.string(e, "name"), Node.string(e, "value"));
        }
        for (Map.Entry<String, String> want : Map.of("OMP_WAIT_POLICY", "PASSIVE", "DJL_OFFLINE", "true", "GLIBC_TUNABLES",
                "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1").entrySet()) {
            if (!want.getValue().equals(env.get(want.getKey()))) {
                problem(d.get(), "env " + want.getKey() + " must be " + want.getValue() + ", is " + env.get(want.getKey()));
            }
        }
        // why: a pod that holds a GPU runs libtorch's CUDA build and must never fall back to the CPU unnoticed
        String device = env.get("TRIPLANE_GPU_DEVICE");
        if (device == null || !device.matches("cuda(:\\d+)?")) {
            problem(d.get(), "env TRIPLANE_GPU_DEVICE must be cuda or cuda:N, is " + device);
        }
        String cache = env.get("DJL_CACHE_DIR");
        Set<String> emptyDirs = new LinkedHashSet<>();
        for (Object v : Node.list(pod, "volumes")) {
            if (Node.get(v, "emptyDir") != null) {
                emptyDirs.add(Node.string(v, "name"));
            }
        }
        boolean mounted = cache != null && Node.list(c, "volumeMounts").stream()
                .anyMatch(m -> cache.equals(Node.string(m, "mountPath")) && emptyDirs.contains(Node.string(m, "name")));
        if (!mounted) {
            problem(d.get(), "DJL_CACHE_DIR " + cache + " must be the mountPath of an emptyDir volume");
        }
    }

    private void disruptionBudgets() {
        for (Manifest pdb : set.ofKind("PodDisruptionBudget")) {
            Map<String, String> selector = strings(Node.map(pdb.doc(), "spec", "selector", "matchLabels"));
            if (workloadList().stream().noneMatch(w -> selects(selector, podLabels(w)))) {
                problem(pdb, "selector " + selector + " matches no workload's pods");
            }
        }
    }

    /**
     * The Pod Security "restricted" profile, plus a read-only root file system: every container runs as
     * non-root without privilege escalation, drops every capability, has the runtime's seccomp profile and
     * writes only to volumes; no pod shares the node's namespaces or mounts its paths.
     */
    private void restrictedPods() {
        for (Manifest ns : set.ofKind("Namespace")) {
            if (!"restricted".equals(Node.string(ns.doc(), "metadata", "labels", "pod-security.kubernetes.io/enforce"))) {
                problem(ns, "label pod-security.kubernetes.io/enforce must be restricted, so that the API server refuses "
                        + "pods that break the profile");
            }
        }
        for (Manifest w : workloadList()) {
            Map<String, Object> pod = podSpec(w);
            if (pod == null) {
                continue;
            }
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                if ("true".equals(Node.string(pod, host))) {
                    problem(w, host + " breaks the restricted profile");
                }
            }
            for (Object v : Node.list(pod, "volumes")) {
                if (Node.get(v, "hostPath") != null) {
                    problem(w, "volume " + Node.string(v, "name") + " is a hostPath, which the restricted profile refuses");
                }
            }
            for (Map<String, Object> c : containers(pod)) {
                String where = "container " + Node.string(c, "name") + " securityContext.";
                if (!"true".equals(effective(pod, c, "runAsNonRoot"))) {
                    problem(w, where + "runAsNonRoot must be true (here or in the pod's securityContext)");
                }
                if ("0".equals(effective(pod, c, "runAsUser"))) {
                    problem(w, where + "runAsUser must not be 0");
                }
                String seccomp = effective(pod, c, "seccompProfile", "type");
                if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                    problem(w, where + "seccompProfile.type must be RuntimeDefault (here or in the pod's), is " + seccomp);
                }
                if (!"false".equals(Node.string(c, "securityContext", "allowPrivilegeEscalation"))) {
                    problem(w, where + "allowPrivilegeEscalation must be false");
                }
                if ("true".equals(Node.string(c, "securityContext", "privileged"))) {
                    problem(w, where + "privileged must not be true");
                }
                if (!Node.list(c, "securityContext", "capabilities", "drop").contains("ALL")) {
                    problem(w, where + "capabilities.drop must hold ALL");
                }
                if (!Node.list(c, "securityContext", "capabilities", "add").isEmpty()) {
                    problem(w, where + "capabilities.add must be empty, is " + Node.list(c, "securityContext", "capabilities", "add"));
                }
                if (!"true".equals(Node.string(c, "securityContext", "readOnlyRootFilesystem"))) {
                    problem(w, where + "readOnlyRootFilesystem must be true (give what it writes an emptyDir)");
                }
            }
        }
    }

    /** @return the container's security setting at the path, else the pod's */
    private static String effective(Map<String, Object> pod, Map<String, Object> container, String... path) {
        String[] full = new String[path.length + 1];
        full[0] = "securityContext";
        System.arraycopy(path, 0, full, 1, path.length);
        return Optional.ofNullable(Node.string(container, full)).orElse(Node.string(pod, full));
    }

    /** A Deployment that KEDA scales must not state its replicas: every apply would reset KEDA's count. */
    private void noReplicasUnderKeda() {
        for (Manifest so : set.ofKind("ScaledObject")) {
            String kind = Optional.ofNullable(Node.string(so.doc(), "spec", "scaleTargetRef", "kind")).orElse("Deployment");
            set.find(kind, Node.string(so.doc(), "spec", "scaleTargetRef", "name")).ifPresent(target -> {
                if (Node.get(target.doc(), "spec", "replicas") != null) {
                    problem(target, "spec.replicas is set, but ScaledObject " + so.name()
                            + " owns the count: every apply would reset it; remove it");
                }
            });
        }
    }

    /**
     * No credential in a manifest: Secrets come from the kustomization's secretGenerator (files that
     * make-secrets.sh writes) or from the operators, never from a YAML document; and the gateway's replicas
     * share one report-signing key from a Secret.
     */
    private void credentials() {
        for (Manifest m : set.ofKind("Secret")) {
            if (!m.generated()) {
                problem(m, "a Secret with its values in a manifest file; generate it (kustomization.yaml secretGenerator, "
                        + "make-secrets.sh) instead");
            }
        }
        set.find("Deployment", policy.gateway()).ifPresent(d -> {
            Map<String, Object> c = containers(podSpec(d)).stream()
                    .filter(x -> policy.gateway().equals(Node.string(x, "name"))).findFirst().orElse(Map.of());
            Object env = env(c, SIGNING_KEY_ENV);
            if (env == null || Node.string(env, "valueFrom", "secretKeyRef", "name") == null) {
                problem(d, "env " + SIGNING_KEY_ENV + " must come from a Secret: without it each replica signs report "
                        + "links with a random key of its own and the others answer 403");
            }
        });
    }

    private static Object env(Map<String, Object> container, String name) {
        return Node.list(container, "env").stream().filter(e -> name.equals(Node.string(e, "name"))).findFirst().orElse(null);
    }

    /**
     * Kafka takes authenticated clients only: every listener authenticates, every service that talks to
     * Kafka logs in as a SCRAM KafkaUser with the password the operator made for that user, and every KEDA
     * Kafka trigger has credentials.
     */
    private void kafkaAuthentication() {
        for (Manifest k : set.ofKind("Kafka")) {
            for (Object l : Node.list(k.doc(), "spec", "kafka", "listeners")) {
                if (Node.string(l, "authentication", "type") == null) {
                    problem(k, "listener " + Node.string(l, "name") + " has no authentication: any pod could read and write");
                }
            }
        }
        Set<String> scramUsers = new TreeSet<>();
        for (Manifest u : set.ofKind("KafkaUser")) {
            if ("scram-sha-512".equals(Node.string(u.doc(), "spec", "authentication", "type"))) {
                scramUsers.add(u.name());
            }
        }
        for (String service : policy.services()) {
            Optional<Manifest> d = set.find("Deployment", service);
            if (d.isEmpty()) {
                continue; // reported by workloadSpecs
            }
            Map<String, Object> c = containers(podSpec(d.get())).stream()
                    .filter(x -> service.equals(Node.string(x, "name"))).findFirst().orElse(Map.of());
            String protocol = Node.string(env(c, KAFKA_PROTOCOL_ENV), "value");
            if (!"SASL_SSL".equals(protocol)) {
                problem(d.get(), "env " + KAFKA_PROTOCOL_ENV + " must be SASL_SSL (the listener's TLS and SCRAM), is " + protocol);
                continue;
            }
            String user = Node.string(env(c, KAFKA_USER_ENV), "value");
            if (!scramUsers.contains(user)) {
                problem(d.get(), "env " + KAFKA_USER_ENV + " " + user + " is not a SCRAM-SHA-512 KafkaUser " + scramUsers);
            }
            String secret = Node.string(env(c, KAFKA_PASSWORD_ENV), "valueFrom", "secretKeyRef", "name");
            if (user != null && !user.equals(secret)) {
                problem(d.get(), "env " + KAFKA_PASSWORD_ENV + " must come from Secret " + user + " (the operator's), is " + secret);
            }
        }
        for (Manifest so : set.ofKind("ScaledObject")) {
            for (Object t : Node.list(so.doc(), "spec", "triggers")) {
                if ("kafka".equals(Node.string(t, "type")) && (Node.string(t, "authenticationRef", "name") == null
                        || Node.string(t, "metadata", "sasl") == null)) {
                    problem(so, "kafka trigger on " + Node.string(t, "metadata", "topic")
                            + " needs sasl and an authenticationRef: the listener authenticates every client");
                }
            }
        }
        for (Manifest ta : set.ofKind("TriggerAuthentication")) {
            for (Object ref : Node.list(ta.doc(), "spec", "secretTargetRef")) {
                refer(ta, "secretTargetRef " + Node.string(ref, "parameter"), "Secret", Node.string(ref, "name"),
                        Node.string(ref, "key"));
            }
            for (Object ref : Node.list(ta.doc(), "spec", "configMapTargetRef")) {
                refer(ta, "configMapTargetRef " + Node.string(ref, "parameter"), "ConfigMap", Node.string(ref, "name"),
                        Node.string(ref, "key"));
            }
        }
    }

    /** Ingress is denied by default in the namespace, and each service's connections are limited by an egress policy. */
    private void networkPolicies() {
        boolean defaultDeny = set.ofKind("NetworkPolicy").stream().anyMatch(np -> {
            Map<String, Object> selector = Node.map(np.doc(), "spec", "podSelector");
            return selector != null && selector.isEmpty() && Node.list(np.doc(), "spec", "policyTypes").contains("Ingress")
                    && Node.list(np.doc(), "spec", "ingress").isEmpty();
        });
        if (!defaultDeny) {
            problems.add("no NetworkPolicy in " + set.dir() + " denies ingress by default (podSelector {}, policyTypes "
                    + "[Ingress], no rules)");
        }
        for (String service : policy.services()) {
            set.find("Deployment", service).ifPresent(d -> {
                boolean limited = set.ofKind("NetworkPolicy").stream()
                        .filter(np -> Node.list(np.doc(), "spec", "policyTypes").contains("Egress"))
                        .anyMatch(np -> selectsPod(Node.map(np.doc(), "spec", "podSelector"), podLabels(d)));
                if (!limited) {
                    problem(d, "no NetworkPolicy limits its egress");
                }
            });
        }
    }

    /** @return whether a label selector (matchLabels and In-expressions) selects pods with these labels */
    static boolean selectsPod(Map<String, Object> selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (!labels.entrySet().containsAll(strings(Node.map(selector, "matchLabels")).entrySet())) {
            return false;
        }
        for (Object e : Node.list(selector, "matchExpressions")) {
            String value = labels.get(Node.string(e, "key"));
            List<Object> values = Node.list(e, "values");
            boolean holds = switch (String.valueOf(Node.string(e, "operator"))) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
