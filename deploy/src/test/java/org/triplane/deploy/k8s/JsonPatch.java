package org.triplane.deploy.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.triplane.deploy.k8s.ManifestSet.Node;

/**
 * The operations of a JSON patch (RFC 6902) that kustomize applies from a kustomization's {@code patches},
 * on a parsed YAML document (nested maps and lists): {@code test}, {@code replace}, {@code add} and
 * {@code remove}, with JSON pointers (RFC 6901) as paths. A failing operation says why, as kustomize would
 * stop the rendering.
 */
final class JsonPatch {
    private JsonPatch() {
    }

    /** An operation that cannot be applied. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** Applies one operation ({@code op}, {@code path}, {@code value}) to {@code doc} in place. */
    static void apply(Map<String, Object> doc, Object operation) throws Failure {
        String op = Node.string(operation, "op");
        String path = Node.string(operation, "path");
        Object value = Node.get(operation, "value");
        if (op == null || path == null) {
            throw new Failure("operation " + operation + " needs op and path");
        }
        List<String> tokens = tokens(path);
        if (tokens.isEmpty()) {
            throw new Failure(op + " of the whole document is not supported");
        }
        Object parent = resolve(doc, tokens.subList(0, tokens.size() - 1), path);
        String last = tokens.get(tokens.size() - 1);
        switch (op) {
            case "test" -> {
                Object actual = child(parent, last, path);
                if (!Objects.equals(actual, value)) {
                    throw new Failure("test of " + path + " failed: it is " + actual + ", the patch expects " + value);
                }
            }
            case "replace" -> {
                child(parent, last, path);
                set(parent, last, value, false, path);
            }
            case "add" -> set(parent, last, value, true, path);
            case "remove" -> {
                child(parent, last, path);
                if (parent instanceof Map<?, ?> m) {
                    m.remove(last);
                } else {
                    castList(parent).remove(index(last, castList(parent).size() - 1, path));
                }
            }
            default -> throw new Failure("op " + op + " is not modelled by this check (test, replace, add, remove)");
        }
    }

    private static List<String> tokens(String path) throws Failure {
        if (path.isEmpty()) {
            return List.of();
        }
        if (!path.startsWith("/")) {
            throw new Failure("path " + path + " is not a JSON pointer (it must begin with /)");
        }
        List<String> out = new ArrayList<>();
        for (String t : path.substring(1).split("/", -1)) {
            out.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static Object resolve(Object doc, List<String> tokens, String path) throws Failure {
        Object cur = doc;
        for (String t : tokens) {
            cur = child(cur, t, path);
        }
        return cur;
    }

    private static Object child(Object node, String token, String path) throws Failure {
        if (node instanceof Map<?, ?> m) {
            if (!m.containsKey(token)) {
                throw new Failure("path " + path + " does not exist: no field " + token);
            }
            return m.get(token);
        }
        if (node instanceof List<?> l) {
            return l.get(index(token, l.size() - 1, path));
        }
        throw new Failure("path " + path + " does not exist: " + token + " is below a value, not an object or list");
    }

    private static int index(String token, int max, String path) throws Failure {
        if (!token.matches("0|[1-9]\\d*") || Integer.parseInt(token) > max) {
            throw new Failure("path " + path + " does not exist: " + token + " is not an index from 0 to " + max);
        }
        return Integer.parseInt(token);
    }

    private static void set(Object parent, String token, Object value, boolean insert, String path) throws Failure {
        if (parent instanceof Map<?, ?> m) {
            Node.cast(m).put(token, value);
        } else if (parent instanceof List<?> l) {
            List<Object> list = castList(l);
            if (insert && token.equals("-")) {
                list.add(value);
            } else if (insert) {
                list.add(index(token, list.size(), path), value);
            } else {
                list.set(index(token, list.size() - 1, path), value);
            }
        } else {
            throw new Failure("path " + path + " does not exist: its parent is a value, not an object or list");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object list) {
        return (List<Object>) list;
    }
}
