package org.triplane.gateway.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.gateway.service.RequestRejected;

/**
 * Bounds JSON request bodies ({@code triplane.upload.max-json-bytes}), which are read into memory:
 * the HTTP layer's own limit is sized for scan uploads, streamed to disk, and would let one JSON
 * request fill the heap. Runs after authentication, before the resource's reader sees the body.
 */
public class JsonBodyLimit {
    private final long maxBytes;

    public JsonBodyLimit(GatewayConfig config) {
        this.maxBytes = config.upload().maxJsonBytes().asLongValue();
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 100)
    public void limit(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(type)) {
            return;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declared(length) > maxBytes) {
            throw tooLarge(length + " bytes declared");
        }
        if (length == null) {
            // why: read here, where passing the limit can be answered as such; inside the JSON reader it
            // becomes an unreadable-body 400. Held in memory either way, and never more than the limit
            request.setEntityStream(new ByteArrayInputStream(readAtMostLimit(request.getEntityStream())));
        }
    }

    private byte[] readAtMostLimit(InputStream body) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge("more was sent (without Content-Length)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a JSON request body", e);
        }
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            throw RequestRejected.badRequest("body", "Content-Length is not a number: " + length);
        }
    }

    private RequestRejected tooLarge(String what) {
        return new RequestRejected(413, "body", String.format(Locale.ROOT,
                "a JSON body may have at most %,d bytes (triplane.upload.max-json-bytes); %s", maxBytes, what));
    }
}
