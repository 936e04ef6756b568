package org.triplane.gateway.testing;

import java.io.IOException;
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
        try (Socket socket = sendPart(gatewayUrl, bodyStart, sent)) {
            return RawAnswer.line(socket.getInputStream());
        }
    }

    /**
     * As {@link #statusLine}, reading the whole answer: status line, headers and body.
     */
    public RawAnswer answer(String gatewayUrl, String bodyStart, int sent) throws IOException {
        try (Socket socket = sendPart(gatewayUrl, bodyStart, sent)) {
            return RawAnswer.read(socket.getInputStream());
        }
    }

    private Socket sendPart(String gatewayUrl, String bodyStart, int sent) throws IOException {
        URI gateway = URI.create(gatewayUrl);
        Socket socket = new Socket(gateway.getHost(), gateway.getPort());
        try {
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
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
