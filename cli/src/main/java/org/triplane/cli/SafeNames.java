package org.triplane.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one check of names the command line takes from a gateway's answers before it writes a file:
 * a scan folder must be a scan id (a UUID in its canonical form), a file name plain letters, digits,
 * dots, dashes and underscores, and the resulting path must stay inside the output folder.
 *
 * <p>// why: {@code fetch} writes where the gateway's answers say; a malicious or intercepted gateway
 * answering {@code ../../x} or an absolute path must not write or replace a file outside {@code --out}.
 */
final class SafeNames {
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private SafeNames() {
    }

    /** {@code scanId} as a folder name, or empty when it is not a UUID in canonical form. */
    static Optional<String> scanFolder(String scanId) {
        if (scanId == null) {
            return Optional.empty();
        }
        try {
            String canonical = UUID.fromString(scanId).toString();
            return canonical.equalsIgnoreCase(scanId) ? Optional.of(canonical) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code name} is a plain file name (no separator, not {@code .} or {@code ..}, no leading dot). */
    static boolean plainFile(String name) {
        return name != null && FILE.matcher(name).matches() && !name.equals("..");
    }

    /** {@code root.resolve(relative)} when it stays inside {@code root} after normalising, else empty. */
    static Optional<Path> inside(Path root, Path relative) {
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(relative).normalize();
        return p.startsWith(base) && !p.equals(base) ? Optional.of(p) : Optional.empty();
    }
}
