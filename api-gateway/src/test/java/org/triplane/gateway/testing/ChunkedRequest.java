package org.triplane.gateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A POST whose body is sent without a length ({@code Transfer-Encoding: chunked}) from a thread of
 * its own while the answer is read, as a client streaming an upload of unknown size does: the
 * gateway may answer, and close the connection, before the body has ended.
 *
 * @param path        request path, e.g. {@code /api/v1/scans}
 * @param contentType the body's media type
 * @param headers     further headers
 */
public record ChunkedRequest(String path, String contentType, Map<String, String> headers) {
    private static final int CHUNK = 64 * 1024;

    /**
     * @param gatewayUrl the gateway's base URL
     * @param head       the first bytes of the body
     * @param filler     how many zero bytes follow them
     * @param tail       the last bytes of the body
     * @param sent       set to the body bytes written before the sending ended (all of them, or fewer when the
     *                   gateway closed the connection first)
     * @return the answer
     */
    public RawAnswer answer(String gatewayUrl, byte[] head, long filler, byte[] tail, AtomicLong sent)
            throws IOException, InterruptedException {
        URI gateway = URI.create(gatewayUrl);
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\n")
                    .append("Host: ").append(gateway.getHost()).append(':').append(gateway.getPort()).append("\r\n")
                    .append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Transfer-Encoding: chunked\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread sender = new Thread(() -> send(out, head, filler, tail, sent), "chunked-sender");
            sender.start();
            try {
                return RawAnswer.read(socket.getInputStream());
            } finally {
                sender.join(30_000);
            }
        }
    }

    private static void send(OutputStream out, byte[] head, long filler, byte[] tail, AtomicLong sent) {
        try {
            chunk(out, head, head.length, sent);
            byte[] zeros = new byte[CHUNK];
            for (long left = filler; left > 0; left -= CHUNK) {
                chunk(out, zeros, (int) Math.min(CHUNK, left), sent);
            }
            chunk(out, tail, tail.length, sent);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // why: the gateway may close the connection while the body is still being sent; the answer tells
        }
    }

    private static void chunk(OutputStream out, byte[] bytes, int length, AtomicLong sent) throws IOException {
        out.write((Integer.toHexString(length).toUpperCase(Locale.ROOT) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(Arrays.copyOf(bytes, length));
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        sent.addAndGet(length);
    }
}
