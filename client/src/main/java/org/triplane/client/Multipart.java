package org.triplane.client;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body of file parts. Parts given as bytes are held in memory; parts
 * given as a path are streamed from the file when the body is sent ({@link #publisher()}), so a
 * study-size scan is never read whole into memory.
 */
public final class Multipart {
    private final String boundary = "triplane-" + UUID.randomUUID();
    /** Each piece is a {@code byte[]} or a {@link Path}, in body order. */
    private final List<Object> pieces = new ArrayList<>();

    public Multipart file(String name, String fileName, byte[] content) {
        pieces.add(header(name, fileName));
        pieces.add(content.clone());
        pieces.add(ascii("\r\n"));
        return this;
    }

    /** A part streamed from {@code file} when the body is sent; the file name is its last path element. */
    public Multipart file(String name, Path file) {
        pieces.add(header(name, file.getFileName().toString()));
        pieces.add(file);
        pieces.add(ascii("\r\n"));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The whole body in memory (file parts read now). */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            if (piece instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                try {
                    out.writeBytes(Files.readAllBytes((Path) piece));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + piece + ": " + e.getMessage(), e);
                }
            }
        }
        out.writeBytes(closing());
        return out.toByteArray();
    }

    /** The body as a publisher that streams file parts; its length is known, so no chunked encoding. */
    public HttpRequest.BodyPublisher publisher() throws FileNotFoundException {
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Object piece : pieces) {
            parts.add(piece instanceof byte[] b ? HttpRequest.BodyPublishers.ofByteArray(b)
                    : HttpRequest.BodyPublishers.ofFile((Path) piece));
        }
        parts.add(HttpRequest.BodyPublishers.ofByteArray(closing()));
        return HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new));
    }

    private byte[] header(String name, String fileName) {
        return ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] closing() {
        return ascii("--" + boundary + "--\r\n");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
