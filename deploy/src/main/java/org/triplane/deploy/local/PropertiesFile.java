package org.triplane.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Writes {@code .properties} files in a stable order, with a header comment, atomically, readable by the owner only. */
final class PropertiesFile {
    private PropertiesFile() {
    }

    static void write(Path file, String header, Map<String, String> entries) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : header.split("\n")) {
            sb.append("# ").append(line).append('\n');
        }
        entries.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        // why owner-only: these files hold the stack's credentials (admin token, object store secret)
        PrivateFiles.createEmpty(tmp);
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // why: Properties.load reads a backslash as an escape, drops leading blanks of a value and,
    // from a stream (as Kafka and s3proxy read), decodes ISO-8859-1
    static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == ' ' && i == 0) {
                sb.append("\\ ");
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
