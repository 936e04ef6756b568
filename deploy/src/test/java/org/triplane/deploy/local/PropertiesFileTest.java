package org.triplane.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileTest {
    @TempDir
    Path dir;

    @Test
    void valuesReadBackUnchangedFromAStream() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("plain", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        entries.put("path", "/data/été/blobs");
        entries.put("backslash", "C:\\data\\stack");
        entries.put("leading", "  two blanks");
        Path file = dir.resolve("sub").resolve("x.properties");

        PropertiesFile.write(file, "header line one\nline two", entries);

        Properties p = new Properties();
        // why: Kafka and s3proxy load from a stream, which Properties decodes as ISO-8859-1
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        entries.forEach((k, v) -> assertEquals(v, p.getProperty(k), k));
        assertEquals("# header line one", Files.readAllLines(file).get(0));
    }

    @Test
    void onlyTheOwnerCanReadOrWriteIt() throws Exception {
        Path file = dir.resolve("stack.properties");
        PropertiesFile.write(file, "credentials", Map.of("gateway.admin.token", "secret"));
        PropertiesFile.write(file, "credentials, rewritten", Map.of("gateway.admin.token", "other"));

        org.junit.jupiter.api.Assumptions.assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
