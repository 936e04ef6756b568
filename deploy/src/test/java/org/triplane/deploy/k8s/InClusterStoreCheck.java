package org.triplane.deploy.k8s;

import static org.triplane.deploy.k8s.ManifestChecker.containerPorts;
import static org.triplane.deploy.k8s.ManifestChecker.containers;
import static org.triplane.deploy.k8s.ManifestChecker.podLabels;
import static org.triplane.deploy.k8s.ManifestChecker.podSpec;
import static org.triplane.deploy.k8s.ManifestChecker.selectsPod;
import static org.triplane.deploy.k8s.ManifestChecker.workloads;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.triplane.deploy.k8s.ManifestSet.Manifest;
import org.triplane.deploy.k8s.ManifestSet.Node;

/**
 * The in-cluster object store (components/object-store), when a set has it: its objects on a
 * PersistentVolumeClaim, the services' bucket made from the ConfigMap they read it from, their keys read
 * from their Secret, readiness and liveness probes on its ports; only the workloads that use it (those that read its endpoint) may reach it, each of
 * them can, and it opens no connection of its own. Part of {@link ManifestChecker}.
 */
final class InClusterStoreCheck {
    /** The keys of the object store's credentials in their generated Secret (kustomization.yaml). */
    static final Set<String> STORE_KEYS = Set.of("access-key", "secret-key");

    private final ManifestSet set;
    private final ManifestChecker.Policy policy;
    private final Problems problems;

    /** Where a problem goes: the document it is about and what is wrong. */
    interface Problems {
        void add(Manifest m, String what);
    }

    InClusterStoreCheck(ManifestSet set, ManifestChecker.Policy policy, Problems problems) {
        this.set = set;
        this.policy = policy;
        this.problems = problems;
    }

    /** Adds the problems of the store, if the set has one. */
    void run() {
        Manifest store = workloads(set).stream().filter(w -> policy.objectStore().equals(w.name())).findFirst().orElse(null);
        if (store == null || podSpec(store) == null) {
            return; // why: the store is optional; ManifestsTest checks that the overlay with the component has it
        }
        Map<String, Object> pod = podSpec(store);
        List<Manifest> clients = workloads(set).stream().filter(w -> w != store && podSpec(w) != null)
                .filter(w -> refersTo(podSpec(w), policy.storeConfig(), "endpoint"))
                .toList();
        if (clients.isEmpty()) {
            problems.add(store, "no workload reads its endpoint (ConfigMap " + policy.storeConfig() + " key endpoint)");
        }
        if (!refersTo(pod, policy.storeConfig(), "bucket")) {
            problems.add(store, "makes no bucket from ConfigMap " + policy.storeConfig() + " key bucket, the services' bucket");
        }
        readsTheClientsKeys(store, clients);
        keepsItsObjectsOnAClaim(store);
        probed(store);
        storeIngress(store, clients);
        storeEgress(store);
        clientsReachIt(store, clients);
    }

    /** The store reads its keys from the Secret its clients read theirs from, so both hold the same keys. */
    private void readsTheClientsKeys(Manifest store, List<Manifest> clients) {
        Set<String> storeSecrets = secretsOf(podSpec(store));
        for (Manifest client : clients) {
            for (String secret : keySecrets(podSpec(client))) {
                if (!storeSecrets.contains(secret)) {
                    problems.add(store, "does not read Secret " + secret + ", which " + client.name()
                            + " takes its object-store keys from: the two would not agree on the keys");
                }
            }
        }
    }

    private void keepsItsObjectsOnAClaim(Manifest store) {
        Map<String, Object> pod = podSpec(store);
        Set<String> claims = new HashSet<>();
        for (Object t : Node.list(store.doc(), "spec", "volumeClaimTemplates")) {
            claims.add(Node.string(t, "metadata", "name"));
        }
        for (Object v : Node.list(pod, "volumes")) {
            if (Node.get(v, "persistentVolumeClaim") != null) {
                claims.add(Node.string(v, "name"));
            }
        }
        boolean persistent = Node.list(pod, "containers").stream().flatMap(c -> Node.list(c, "volumeMounts").stream())
                .anyMatch(m -> claims.contains(Node.string(m, "name")));
        if (!persistent) {
            problems.add(store, "keeps its objects on no PersistentVolumeClaim: every scan and result would go with the pod");
        }
    }

    /** Each server container has a readiness and a liveness probe on a port it declares. */
    private void probed(Manifest store) {
        for (Object c : Node.list(podSpec(store), "containers")) {
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                String port = Optional.ofNullable(Node.string(c, probe, "httpGet", "port"))
                        .orElse(Node.string(c, probe, "tcpSocket", "port"));
                if (Node.get(c, probe) == null || (port != null
                        && !containerPorts(Node.cast((Map<?, ?>) c)).contains(port))) {
                    problems.add(store, "container " + Node.string(c, "name") + " needs a " + probe
                            + " on one of its ports, has " + Node.get(c, probe));
                }
            }
        }
    }

    /** Each client has an egress rule to the store's pods (in this namespace) on a port of the store. */
    private void clientsReachIt(Manifest store, List<Manifest> clients) {
        Set<String> ports = new HashSet<>();
        for (Object c : Node.list(podSpec(store), "containers")) {
            ports.addAll(containerPorts(Node.cast((Map<?, ?>) c)));
        }
        for (Manifest client : clients) {
            boolean reaches = egressPolicies(client).stream()
                    .flatMap(np -> Node.list(np.doc(), "spec", "egress").stream())
                    .filter(rule -> Node.list(rule, "ports").isEmpty()
                            || Node.list(rule, "ports").stream().anyMatch(p -> ports.contains(Node.string(p, "port"))))
                    .flatMap(rule -> Node.list(rule, "to").stream())
                    .anyMatch(peer -> Node.get(peer, "namespaceSelector") == null && Node.get(peer, "ipBlock") == null
                            && selectsPod(Node.map(peer, "podSelector"), podLabels(store)));
            if (!reaches) {
                problems.add(client, "no NetworkPolicy lets it reach the pods of " + store.kind() + " " + store.name()
                        + " on its port " + new TreeSet<>(ports) + ", and it uses that object store");
            }
        }
    }

    /** The store's ingress admits exactly the workloads that use it, from this namespace. */
    private void storeIngress(Manifest store, List<Manifest> clients) {
        Set<String> admitted = new TreeSet<>();
        for (Manifest np : set.ofKind("NetworkPolicy")) {
            if (!Node.list(np.doc(), "spec", "policyTypes").contains("Ingress")
                    || !selectsPod(Node.map(np.doc(), "spec", "podSelector"), podLabels(store))) {
                continue;
            }
            for (Object rule : Node.list(np.doc(), "spec", "ingress")) {
                if (Node.list(rule, "from").isEmpty()) {
                    problems.add(np, "admits every source to " + store.name() + "; only the workloads that use it may reach it");
                }
                for (Object peer : Node.list(rule, "from")) {
                    if (Node.get(peer, "namespaceSelector") != null || Node.get(peer, "ipBlock") != null) {
                        problems.add(np, "admits sources outside the namespace to " + store.name());
                        continue;
                    }
                    workloads(set).stream().filter(w -> selectsPod(Node.map(peer, "podSelector"), podLabels(w)))
                            .forEach(w -> admitted.add(w.name()));
                }
            }
        }
        for (Manifest client : clients) {
            if (!admitted.remove(client.name())) {
                problems.add(store, "no NetworkPolicy admits " + client.name() + ", which uses this object store");
            }
        }
        for (String other : admitted) {
            problems.add(store, "a NetworkPolicy admits " + other + ", which does not use this object store");
        }
    }

    /** The store opens no connection: an egress policy selects it, and none has a rule for it. */
    private void storeEgress(Manifest store) {
        List<Manifest> policies = egressPolicies(store);
        if (policies.isEmpty()) {
            problems.add(store, "no NetworkPolicy limits its egress (it opens no connection: policyTypes [Egress], no rule)");
        }
        for (Manifest np : policies) {
            if (!Node.list(np.doc(), "spec", "egress").isEmpty()) {
                problems.add(np, "lets " + store.name() + " open connections; the object store needs none");
            }
        }
    }

    private List<Manifest> egressPolicies(Manifest workload) {
        return set.ofKind("NetworkPolicy").stream()
                .filter(np -> Node.list(np.doc(), "spec", "policyTypes").contains("Egress"))
                .filter(np -> selectsPod(Node.map(np.doc(), "spec", "podSelector"), podLabels(workload))).toList();
    }

    /** @return whether an environment variable of the pod's containers comes from {@code key} of ConfigMap {@code name} */
    private static boolean refersTo(Map<String, Object> pod, String name, String key) {
        return containers(pod).stream().flatMap(c -> Node.list(c, "env").stream())
                .anyMatch(e -> name.equals(Node.string(e, "valueFrom", "configMapKeyRef", "name"))
                        && key.equals(Node.string(e, "valueFrom", "configMapKeyRef", "key")));
    }

    /** @return the Secrets the pod reads: as volumes, in env and envFrom */
    private static Set<String> secretsOf(Map<String, Object> pod) {
        Set<String> out = new TreeSet<>();
        for (Object v : Node.list(pod, "volumes")) {
            Optional.ofNullable(Node.string(v, "secret", "secretName")).ifPresent(out::add);
        }
        for (Map<String, Object> c : containers(pod)) {
            for (Object e : Node.list(c, "env")) {
                Optional.ofNullable(Node.string(e, "valueFrom", "secretKeyRef", "name")).ifPresent(out::add);
            }
            for (Object e : Node.list(c, "envFrom")) {
                Optional.ofNullable(Node.string(e, "secretRef", "name")).ifPresent(out::add);
            }
        }
        return out;
    }

    /** @return the Secrets the pod takes object-store keys ({@link #STORE_KEYS}) from */
    private static Set<String> keySecrets(Map<String, Object> pod) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> c : containers(pod)) {
            for (Object e : Node.list(c, "env")) {
                String key = Node.string(e, "valueFrom", "secretKeyRef", "key");
                if (key != null && STORE_KEYS.contains(key)) {
                    out.add(Node.string(e, "valueFrom", "secretKeyRef", "name"));
                }
            }
        }
        return out;
    }
}
