package org.triplane.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.triplane.gateway.service.RequestRejected;

/**
 * A request body over the HTTP layer's limit ({@code quarkus.http.limits.max-body-size}, 1 GiB: a
 * whole multipart upload) refused as every other request is, 413 with a problem document naming the
 * limit and what to send instead. Quarkus's own checks answer 413 with an empty body, which a client
 * can only show as a bare status, and log the streamed case as a failed request.
 *
 * <p>A body passes the limit in one of two ways, each refused without reading on:
 * <ul>
 *   <li>declared: its {@code Content-Length} is above the limit. Answered by a route handler in
 *       front of Quarkus's check (and of authentication), before any of the body is read;</li>
 *   <li>streamed without a length ({@code Transfer-Encoding: chunked}): Quarkus's limit is taken off
 *       such a request and a request filter (after authentication) counts its body as it is read
 *       instead — by the multipart parser, which streams the parts to disk — and refuses it once it
 *       passes the limit. The parser's partial file goes as any upload's does, at the request's end.</li>
 * </ul>
 * Either way an HTTP/1.1 connection is closed after the answer: the rest of the body is never taken
 * in, so the gateway holds at most the limit on disk and a network buffer in memory (HTTP/2: see
 * {@link #closeAfterAnswer}). HTTP/2 has no chunked coding; a body sent there without a length keeps
 * Quarkus's own check and its empty 413.
 */
@ApplicationScoped
public class RequestBodyLimit {
    /** Quarkus checks a declared length at route order −2 ({@code HttpServerCommonHandlers.enforceMaxBodySize}); this runs first. */
    static final int DECLARED_ORDER = -3;
    /** After that check, which hands bodies without a length their limit ({@link VertxHttpRecorder#MAX_REQUEST_SIZE_KEY}). */
    static final int STREAMED_ORDER = -1;

    private final Optional<MemorySize> limit;
    private final ObjectMapper json;

    @Inject
    public RequestBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit,
                            ObjectMapper json) {
        this.limit = limit;
        this.json = json;
    }

    void install(@Observes Router router) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(DECLARED_ORDER).handler(ctx -> {
            long declared = declaredLength(ctx.request().headers());
            if (declared > max) {
                refuseDeclared(ctx, declared, max);
            } else {
                ctx.next();
            }
        });
        router.route().order(STREAMED_ORDER).handler(ctx -> {
            if (streamed(ctx.request().headers())) {
                // why: Quarkus's reader would stop such a body with an empty 413 of its own; bound() counts it instead
                ctx.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
            }
            ctx.next();
        });
    }

    /** Counts the body of a request sent without a length as it is read, and refuses it past the limit. */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 50)
    public void bound(ContainerRequestContext request, RoutingContext ctx) {
        if (limit.isPresent() && streamed(ctx.request().headers())) {
            request.setEntityStream(new Bounded(request.getEntityStream(), limit.get().asLongValue(), ctx));
        }
    }

    /** A body without a declared length: only chunked transfer coding sends one in HTTP/1.1. */
    private static boolean streamed(MultiMap headers) {
        return !headers.contains(HttpHeaders.CONTENT_LENGTH) && headers.contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /** The declared length, or −1 when there is none or it is no number (the HTTP layer refuses the latter itself). */
    private static long declaredLength(MultiMap headers) {
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuseDeclared(RoutingContext ctx, long declared, long max) {
        Problem problem = Problem.of(413, "body", detail(String.format(Locale.ROOT, "%,d bytes declared", declared), max),
                ctx.request().path());
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document that cannot be written", e);
        }
        closeAfterAnswer(ctx);
        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Buffer.buffer(body));
    }

    /**
     * Over HTTP/1.1 the connection closes once the answer is out, so the unread rest of the body is not
     * taken in. An HTTP/2 connection (h2c, which the Java client upgrades to) carries other requests and
     * stays open: only this request's stream ends with the answer (closing it would cut the others with
     * GOAWAY), and a client that asked {@code Expect: 100-continue} sends none of the body.
     */
    private static void closeAfterAnswer(RoutingContext ctx) {
        if (ctx.request().version() == HttpVersion.HTTP_2) {
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.addEndHandler(done -> ctx.request().connection().close());
    }

    /** What was sent, the limit and what to send instead. */
    static String detail(String what, long max) {
        return String.format(Locale.ROOT, "the request body is above the gateway's limit of %,d bytes (%s) per request "
                + "(quarkus.http.limits.max-body-size): %s; nothing of it was kept. Upload one scan per request, the CT as "
                + "gzip-compressed NIfTI (.nii.gz) or a DICOM series as a zip in the part 'dicom' (`triplane submit` and "
                + "`triplane predict` convert a series to .nii.gz before uploading)", max, binary(max), what);
    }

    /** {@code bytes} in the largest binary unit that divides it, e.g. {@code 1 GiB}. */
    static String binary(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int u = 0; u < units.length; u++) {
            long unit = 1L << (30 - 10 * u);
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + " " + units[u];
            }
        }
        return bytes + " B";
    }

    /** A body stream that refuses the request once more than {@code max} bytes came through it. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final RoutingContext ctx;
        private long read;
        private boolean refused;

        Bounded(InputStream in, long max, RoutingContext ctx) {
            super(in);
            this.max = max;
            this.ctx = ctx;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        private void count(int n) {
            if (n > 0) {
                read += n;
                if (read > max) {
                    refused = true;
                    closeAfterAnswer(ctx);
                    throw new RequestRejected(413, "body", detail("more was sent (without Content-Length)", max));
                }
            }
        }

        @Override
        public void close() throws IOException {
            // why: closing the underlying stream reads the body to its end; once refused the connection is closed instead
            if (!refused) {
                super.close();
            }
        }
    }
}
