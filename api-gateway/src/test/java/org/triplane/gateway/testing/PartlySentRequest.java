package org.triplane.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A POST whose body is declared far longer than what is sent: the client sends the request line,
 * the headers and the first bytes of the body, then waits for the status line. A gateway that
 * reads the body before judging the request never answers (the read times out after 30 s).
 *
 * @param path        request path, e.g. {@code /api/v1/scans}
 * @param contentType the body's media type
 * @param headers     further headers
 * @param declared    the {@code Content-Length} sent
 */
public record PartlySentRequest(String path, String contentType, Map<String, String> headers, long declared) {

    /**
     * @param gatewayUrl the gateway's base URL
     * @param bodyStart  the first bytes of the body, padded with zeros to {@code sent}
     * @param sent       how many body bytes are sent before waiting
     * @return the answer's status line, e.g. {@code HTTP/1.1 401 Unauthorized}
     */
    public String statusLine(String gatewayUrl, String bodyStart, int sent) throws IOException {
        URI gateway = URI.create(gatewayUrl);
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\n")
                    .append("Host: ").append(gateway.getHost()).append(':').append(gateway.getPort()).append("\r\n")
                    .append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(declared).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] start = bodyStart.getBytes(StandardCharsets.US_ASCII);
            out.write(start);
            out.write(new byte[Math.max(0, sent - start.length)]);
            out.flush();
            return readLine(socket.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }
}
