package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.gateway.testing.PartlySentRequest;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * A request without a valid API key is refused before its body is read: the client declares a
 * 1 GiB body, sends its first MiB and waits; the 401 must arrive while the rest is unsent, and
 * nothing of an upload may be in the gateway's uploads folder.
 */
class AuthBeforeBodyIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    private static final long DECLARED = 1L << 30;
    private static final int SENT = 1 << 20;

    @Test
    void anUploadWithoutAKeyIsRefusedBeforeItsBodyIsStored() throws IOException {
        assertThat(upload(Map.of())).startsWith("HTTP/1.1 401");
        assertThat(filesIn(env.uploadsDirectory())).as("files in the gateway's uploads folder").isZero();
    }

    @Test
    void anUploadWithAnUnknownKeyIsRefusedBeforeItsBodyIsStored() throws IOException {
        String unknownKey = "tp_" + "0123456789ab" + "_" + "x".repeat(43);

        assertThat(upload(Map.of("X-Api-Key", unknownKey))).startsWith("HTTP/1.1 401");
        assertThat(filesIn(env.uploadsDirectory())).as("files in the gateway's uploads folder").isZero();
    }

    @Test
    void aJobSubmissionWithoutAKeyIsRefusedBeforeItsBodyIsRead() throws IOException {
        String status = new PartlySentRequest("/api/v1/jobs", "application/json", Map.of(), DECLARED)
                .statusLine(env.gatewayUrl(), "{\"kind\": \"segment\", \"x\": \"", SENT);

        assertThat(status).startsWith("HTTP/1.1 401");
    }

    private static String upload(Map<String, String> headers) throws IOException {
        String boundary = "b" + UUID.randomUUID();
        String firstPart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"ct\"; filename=\"ct.nii\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        return new PartlySentRequest("/api/v1/scans", "multipart/form-data; boundary=" + boundary, headers, DECLARED)
                .statusLine(env.gatewayUrl(), firstPart, SENT);
    }

    private static long filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
