package org.triplane.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every YAML document of a manifest folder (recursively), with the file each came from, plus the
 * folder's {@code kustomization.yaml} and the Secrets and ConfigMaps its generators make (their keys
 * known, their values not: they come from files that {@code make-secrets.sh} writes and git ignores).
 * Documents that are not a mapping are kept as problems, not dropped, so that a malformed file is
 * reported rather than skipped.
 */
final class ManifestSet {
    static final String KUSTOMIZATION = "kustomization.yaml";

    /** One YAML document: {@code file} relative to the folder, {@code index} 0-based within it. */
    record Manifest(String file, int index, Map<String, Object> doc) {
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

    private final Path dir;
    private final List<Manifest> manifests;
    private final List<String> yamlFiles;
    private final List<String> loadProblems;
    private final Map<String, Object> kustomization;

    private ManifestSet(Path dir, List<Manifest> manifests, List<String> yamlFiles, List<String> loadProblems,
            Map<String, Object> kustomization) {
        this.dir = dir;
        this.manifests = manifests;
        this.yamlFiles = yamlFiles;
        this.loadProblems = loadProblems;
        this.kustomization = kustomization;
    }

    static ManifestSet load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("manifest folder " + dir.toAbsolutePath() + " does not exist");
        }
        List<Manifest> manifests = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Object> kustomization = null;
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path p : paths) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            List<Object> docs = new ArrayList<>();
            try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r).forEach(docs::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            } catch (RuntimeException e) {
                problems.add(rel + ": not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
                continue;
            }
            if (rel.equals(KUSTOMIZATION)) {
                kustomization = docs.size() == 1 && docs.get(0) instanceof Map<?, ?> m ? Node.cast(m) : null;
                if (kustomization == null) {
                    problems.add(rel + ": must hold exactly one mapping");
                }
                continue;
            }
            files.add(rel);
            int i = 0;
            for (Object d : docs) {
                if (d == null) {
                    i++;
                    continue; // why: an empty document (a trailing ---) is legal and applies nothing
                }
                if (d instanceof Map<?, ?> m) {
                    manifests.add(new Manifest(rel, i, Node.cast(m)));
                } else {
                    problems.add(rel + "#" + i + ": document is not a mapping but " + d.getClass().getSimpleName());
                }
                i++;
            }
        }
        if (kustomization != null) {
            manifests.addAll(generated(kustomization, "secretGenerator", "Secret", problems));
            manifests.addAll(generated(kustomization, "configMapGenerator", "ConfigMap", problems));
        }
        return new ManifestSet(dir, List.copyOf(manifests), List.copyOf(files), List.copyOf(problems), kustomization);
    }

    /**
     * @return one document per entry of the kustomization's generator {@code field}, as kustomize makes it
     *         (before its name suffix), with the keys of its {@code literals} ({@code key=value}) and
     *         {@code files} ({@code key=path}, or the file name) and an empty value each
     */
    private static List<Manifest> generated(Map<String, Object> kustomization, String field, String kind,
            List<String> problems) {
        List<Manifest> out = new ArrayList<>();
        int i = 0;
        for (Object g : Node.list(kustomization, field)) {
            String where = KUSTOMIZATION + " " + field + "[" + i + "]";
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
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("apiVersion", "v1");
            doc.put("kind", kind);
            doc.put("metadata", Map.of("name", String.valueOf(Node.string(g, "name"))));
            doc.put("data", data);
            out.add(new Manifest(where, 0, doc));
            i++;
        }
        return out;
    }

    Path dir() {
        return dir;
    }

    List<Manifest> all() {
        return manifests;
    }

    /** @return the YAML files other than kustomization.yaml, relative to the folder */
    List<String> yamlFiles() {
        return yamlFiles;
    }

    List<String> loadProblems() {
        return loadProblems;
    }

    Optional<Map<String, Object>> kustomization() {
        return Optional.ofNullable(kustomization);
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
