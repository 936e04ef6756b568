package org.triplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The gateway answered with a status the call did not expect. Carries the status, the request and
 * the gateway's problem document (RFC 9457 {@code application/problem+json}: {@code title},
 * {@code detail} and the extension {@code part}) when it sent one.
 */
public final class GatewayException extends IOException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String method;
    private final String uri;
    private final String body;
    private final String part;
    private final String detail;
    private final String title;

    public GatewayException(String method, String uri, int status, String body) {
        super(method + " " + uri + " answered " + status + describe(body));
        this.status = status;
        this.method = method;
        this.uri = uri;
        this.body = body == null ? "" : body;
        JsonNode parsed = parse(this.body);
        this.part = text(parsed, "part");
        this.detail = text(parsed, "detail");
        this.title = text(parsed, "title");
    }

    public int status() {
        return status;
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    public String body() {
        return body;
    }

    /** The part, header, parameter or field the gateway named as at fault, or {@code null}. */
    public String part() {
        return part;
    }

    /** The gateway's explanation (the problem's {@code detail}), or {@code null} when the body was no problem document. */
    public String error() {
        return detail;
    }

    /** The problem's {@code title} (the status's reason phrase), or {@code null}. */
    public String title() {
        return title;
    }

    /**
     * Whether the gateway has no such route at all (as opposed to a known route answering "not
     * found" for an id): 404 or 405 naming no part.
     */
    // why: the gateway's resources always name the part of a missing scan, job or set; the HTTP layer's answer
    // when no resource method matches the path names none (and older gateways sent no body at all)
    public boolean isUnknownRoute() {
        return (status == 404 || status == 405) && part == null;
    }

    private static String describe(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode parsed = parse(body);
        String detail = text(parsed, "detail");
        if (detail != null) {
            String part = text(parsed, "part");
            return ": " + (part == null ? "" : part + ": ") + detail;
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank() || !body.strip().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        return node.get(field).asText();
    }
}
