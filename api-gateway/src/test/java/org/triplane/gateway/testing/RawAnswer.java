package org.triplane.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 answer read from a socket by hand, for requests that {@code java.net.http} cannot send
 * as a test needs them (a body declared longer than sent, a body still being sent when the answer
 * comes).
 *
 * @param statusLine e.g. {@code HTTP/1.1 413 Request Entity Too Large}
 * @param headers    header names in lower case, each with its (last) value
 * @param body       the body (as many bytes as {@code Content-Length} says, else up to the end of the connection), UTF-8
 */
public record RawAnswer(String statusLine, Map<String, String> headers, String body) {

    /** @return the status code, e.g. 413 */
    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Reads the status line, the headers and the body from {@code in}. */
    public static RawAnswer read(InputStream in) throws IOException {
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new RawAnswer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** One line without its CR LF; empty at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).strip();
    }
}
