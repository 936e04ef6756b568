package org.triplane.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects a kustomization folder makes, modelled without kustomize: every YAML document of the folder
 * (recursively, except in sub-folders that are kustomizations of their own), with the file each came from;
 * the folders and components its {@code resources} and {@code components} name, composed the way
 * {@code kubectl kustomize} composes them; the Secrets and ConfigMaps of their generators (their keys known,
 * their values not: they come from files that {@code make-secrets.sh} writes and git ignores); and their
 * inline JSON patches applied. Documents that are not a mapping, and what the model does not cover, are kept
 * as problems rather than dropped, so that nothing is skipped unnoticed.
 */
final class ManifestSet {
    static final String KUSTOMIZATION = "kustomization.yaml";

    /**
     * One object: {@code file} relative to the set's top folder, {@code index} 0-based within it;
     * {@code generated} when a generator of {@code file} (a kustomization) makes it.
     */
    record Manifest(String file, int index, Map<String, Object> doc, boolean generated) {
        String kind() {
            return Node.string(doc, "kind");
        }

        String name() {
            return Node.string(doc, "metadata", "name");
        }

        /** @return {@code file#index kind/name}, the way problems name a document */
        String where() {
            return file + "#" + index + " " + kind() + "/" + name();
        }
    }

    /**
     * One kustomization folder of the set.
     *
     * @param path          the folder relative to the set's top ("" for the top itself)
     * @param kustomization its kustomization.yaml, null when missing or malformed
     * @param files         its own YAML files other than kustomization.yaml, relative to it
     */
    record Root(String path, Map<String, Object> kustomization, List<String> files) {
        /** @return a file of this folder named relative to the set's top */
        String label(String file) {
            return path.isEmpty() ? file : path + "/" + file;
        }

        String kustomizationFile() {
            return label(KUSTOMIZATION);
        }

        boolean isComponent() {
            return "Component".equals(Node.string(kustomization, "kind"));
        }
    }

    private final Path dir;
    private final List<Manifest> manifests;
    private final List<Root> roots;
    private final List<String> loadProblems;

    private ManifestSet(Path dir, List<Manifest> manifests, List<Root> roots, List<String> loadProblems) {
        this.dir = dir;
        this.manifests = manifests;
        this.roots = roots;
        this.loadProblems = loadProblems;
    }

    /** @return what the kustomization folder {@code dir} makes, files named relative to it */
    static ManifestSet load(Path dir) {
        return build(dir, dir);
    }

    /**
     * @param root the kustomization folder to build, e.g. an overlay
     * @param top  the folder that holds it and everything it refers to; files are named relative to it
     */
    static ManifestSet build(Path root, Path top) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("manifest folder " + root.toAbsolutePath() + " does not exist");
        }
        Builder b = new Builder(top.toAbsolutePath().normalize());
        b.kustomization(root.toAbsolutePath().normalize());
        return new ManifestSet(top, List.copyOf(b.manifests), List.copyOf(b.roots), List.copyOf(b.problems));
    }

    /** Composes kustomization folders into one list of objects, as kustomize builds them. */
    private static final class Builder {
        private final Path top;
        private final List<Manifest> manifests = new ArrayList<>();
        private final List<Root> roots = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Set<Path> visited = new HashSet<>();

        Builder(Path top) {
            this.top = top;
        }

        private String relative(Path p) {
            return top.relativize(p).toString().replace('\\', '/');
        }

        void kustomization(Path dir) {
            if (!visited.add(dir)) {
                problems.add(relative(dir) + ": included twice (kustomize refuses a folder it has already built)");
                return;
            }
            int first = manifests.size();
            Path file = dir.resolve(KUSTOMIZATION);
            Map<String, Object> k = null;
            if (Files.isRegularFile(file)) {
                List<Object> docs = readAll(file, relative(file));
                k = docs != null && docs.size() == 1 && docs.get(0) instanceof Map<?, ?> m ? Node.cast(m) : null;
                if (docs != null && k == null) {
                    problems.add(relative(file) + ": must hold exactly one mapping");
                }
            }
            List<String> files = ownYamlFiles(dir);
            Root root = new Root(relative(dir), k, files);
            roots.add(root);
            for (String f : files) {
                documents(dir.resolve(f), root.label(f));
            }
            if (k == null) {
                return;
            }
            for (Object r : Node.list(k, "resources")) {
                Path p = dir.resolve(r.toString()).normalize();
                if (Files.isRegularFile(p.resolve(KUSTOMIZATION))) {
                    kustomization(p);
                }
            }
            for (Object c : Node.list(k, "components")) {
                Path p = dir.resolve(c.toString()).normalize();
                if (Files.isRegularFile(p.resolve(KUSTOMIZATION))) {
                    kustomization(p);
                }
            }
            generated(root, "secretGenerator", "Secret");
            generated(root, "configMapGenerator", "ConfigMap");
            // why: a component transforms everything built before it, a kustomization only what it builds itself
            patches(root, root.isComponent() ? 0 : first);
        }

        /** @return the folder's YAML files, relative to it, except kustomization.yaml and those of nested kustomizations */
        private List<String> ownYamlFiles(Path dir) {
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .filter(p -> !p.equals(dir.resolve(KUSTOMIZATION)))
                        .filter(p -> !inNestedKustomization(dir, p))
                        .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                        .sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }

        private static boolean inNestedKustomization(Path dir, Path file) {
            for (Path d = file.getParent(); d != null && !d.equals(dir); d = d.getParent()) {
                if (Files.isRegularFile(d.resolve(KUSTOMIZATION))) {
                    return true;
                }
            }
            return false;
        }

        /** @return the file's documents, or null (and a problem) when it is not valid YAML */
        private List<Object> readAll(Path p, String label) {
            List<Object> docs = new ArrayList<>();
            try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                yaml().loadAll(r).forEach(docs::add);
                return docs;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            } catch (RuntimeException e) {
                problems.add(label + ": not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
                return null;
            }
        }

        private void documents(Path p, String label) {
            List<Object> docs = readAll(p, label);
            if (docs == null) {
                return;
            }
            int i = 0;
            for (Object d : docs) {
                if (d instanceof Map<?, ?> m) {
                    manifests.add(new Manifest(label, i, Node.cast(m), false));
                } else if (d != null) { // why: an empty document (a trailing ---) is legal and applies nothing
                    problems.add(label + "#" + i + ": document is not a mapping but " + d.getClass().getSimpleName());
                }
                i++;
            }
        }

        /**
         * Adds one object per entry of the root's generator {@code field}, as kustomize makes it (before its
         * name suffix), with the keys of its {@code literals} ({@code key=value}) and {@code files}
         * ({@code key=path}, or the file name) and an empty value each.
         */
        private void generated(Root root, String field, String kind) {
            int i = 0;
            for (Object g : Node.list(root.kustomization(), field)) {
                String where = root.kustomizationFile() + " " + field + "[" + i + "]";
                Map<String, Object> data = new TreeMap<>();
                for (Object literal : Node.list(g, "literals")) {
                    data.put(literal.toString().split("=", 2)[0], "");
                }
                for (Object file : Node.list(g, "files")) {
                    String f = file.toString();
                    data.put(f.contains("=") ? f.substring(0, f.indexOf('=')) : Path.of(f).getFileName().toString(), "");
                }
                if (!Node.list(g, "envs").isEmpty()) {
                    problems.add(where + ": envs files hide their keys from this check; name each key under files: (key=path)");
                }
                String behavior = Node.string(g, "behavior");
                if (behavior != null && !behavior.equals("create")) {
                    problems.add(where + ": behavior " + behavior + " is not modelled by this check; generate a new object");
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("apiVersion", "v1");
                doc.put("kind", kind);
                doc.put("metadata", Map.of("name", String.valueOf(Node.string(g, "name"))));
                doc.put("data", data);
                manifests.add(new Manifest(where, 0, doc, true));
                i++;
            }
        }

        /** Applies the root's inline JSON patches (RFC 6902) to the objects from index {@code from} on. */
        private void patches(Root root, int from) {
            int i = 0;
            for (Object entry : Node.list(root.kustomization(), "patches")) {
                String where = root.kustomizationFile() + " patches[" + i++ + "]";
                String kind = Node.string(entry, "target", "kind");
                String name = Node.string(entry, "target", "name");
                Object ops = Node.string(entry, "patch") == null ? null : yaml().load(Node.string(entry, "patch"));
                if (!(ops instanceof List<?> list)) {
                    problems.add(where + ": only inline JSON patches (a list of operations under patch:) are modelled by this check");
                    continue;
                }
                List<Manifest> targets = manifests.subList(from, manifests.size()).stream()
                        .filter(m -> Objects.equals(kind, m.kind()) && Objects.equals(name, m.name())).toList();
                if (targets.isEmpty()) {
                    problems.add(where + ": target " + kind + "/" + name + " matches no object");
                }
                for (Manifest m : targets) {
                    try {
                        for (Object op : list) {
                            JsonPatch.apply(m.doc(), op);
                        }
                    } catch (JsonPatch.Failure e) {
                        problems.add(where + ": " + m.where() + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private static org.yaml.snakeyaml.Yaml yaml() {
        return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** @return the top folder, which file names are relative to */
    Path dir() {
        return dir;
    }

    List<Manifest> all() {
        return manifests;
    }

    /** @return the kustomization folders the set was built from, the one built first */
    List<Root> roots() {
        return roots;
    }

    /** @return the kustomization folder at {@code path} (relative to the top), if the set holds it */
    Optional<Root> root(String path) {
        return roots.stream().filter(r -> r.path().equals(path)).findFirst();
    }

    List<String> loadProblems() {
        return loadProblems;
    }

    List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.kind())).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return manifests.stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name())).findFirst();
    }

    /** Typed access into parsed YAML (nested maps and lists); absent or mistyped paths give null / empty. */
    static final class Node {
        private Node() {
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> cast(Map<?, ?> m) {
            return (Map<String, Object>) m;
        }

        static Object get(Object node, String... path) {
            Object cur = node;
            for (String key : path) {
                if (!(cur instanceof Map<?, ?> m)) {
                    return null;
                }
                cur = m.get(key);
            }
            return cur;
        }

        static Map<String, Object> map(Object node, String... path) {
            return get(node, path) instanceof Map<?, ?> m ? cast(m) : null;
        }

        static List<Object> list(Object node, String... path) {
            if (get(node, path) instanceof List<?> l) {
                return new ArrayList<>(l);
            }
            return List.of();
        }

        /** @return the scalar at the path as a string (numbers and booleans too), or null */
        static String string(Object node, String... path) {
            Object v = get(node, path);
            return v == null || v instanceof Map || v instanceof List ? null : v.toString();
        }

        static Integer integer(Object node, String... path) {
            Object v = get(node, path);
            if (v instanceof Number n) {
                return n.intValue();
            }
            if (v instanceof String s && s.matches("\\d+")) {
                return Integer.parseInt(s);
            }
            return null;
        }
    }
}
