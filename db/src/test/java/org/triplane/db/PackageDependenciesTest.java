package org.triplane.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dependencies between the concept packages that db/README.md allows, read from the sources: a
 * package names another (import, full name or Javadoc link) only where the table below allows it, so
 * the packages stay free of cycles and nothing but the services depends on {@code audit}.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java/org/triplane/db");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.triplane\\.db\\.([a-z]+)\\.");

    /** Package (the root as "") to the concept packages it may name; the same table as in db/README.md. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "", Set.of(),
            "tenants", Set.of(),
            "jobs", Set.of(),
            "results", Set.of(),
            "outbox", Set.of(),
            "scans", Set.of("jobs"),
            "tasks", Set.of("jobs"),
            "models", Set.of("results"),
            "audit", Set.of("jobs", "scans", "results"));

    @Test
    void eachPackageNamesOnlyThePackagesItMayDependOn() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString();
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1) + " (in " + file.getFileName() + ")");
                    }
                }
                used.computeIfAbsent(pkg, k -> new TreeSet<>());
            }
        }
        assertThat(used.keySet()).as("the packages under %s", SOURCES).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
        used.forEach((pkg, names) -> assertThat(names)
                .as("packages named by org.triplane.db%s", pkg.isEmpty() ? "" : "." + pkg)
                .allSatisfy(n -> assertThat(ALLOWED.get(pkg)).contains(n.substring(0, n.indexOf(' ')))));
    }
}
