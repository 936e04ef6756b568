package org.triplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The gateway answered with a status the call did not expect. Carries the status, the request and
 * the gateway's own {@code {"part", "error"}} body when it sent one.
 */
public final class GatewayException extends IOException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String method;
    private final String uri;
    private final String body;
    private final String part;
    private final String error;

    public GatewayException(String method, String uri, int status, String body) {
        super(method + " " + uri + " answered " + status + describe(body));
        this.status = status;
        this.method = method;
        this.uri = uri;
        this.body = body == null ? "" : body;
        JsonNode parsed = parse(this.body);
        this.part = text(parsed, "part");
        this.error = text(parsed, "error");
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

    /** The part, header or field the gateway named as at fault, or {@code null}. */
    public String part() {
        return part;
    }

    /** The gateway's explanation, or {@code null} when the body was not its error object. */
    public String error() {
        return error;
    }

    /**
     * Whether the gateway has no such route at all (as opposed to a known route answering "not
     * found" for an id): 404 or 405 without the gateway's error object.
     */
    // why: the gateway's resources always answer a missing scan, job or set with {"part","error"};
    // a bare 404/405 comes from the HTTP layer when no resource method matches the path
    public boolean isUnknownRoute() {
        return (status == 404 || status == 405) && error == null;
    }

    private static String describe(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode parsed = parse(body);
        String error = text(parsed, "error");
        if (error != null) {
            String part = text(parsed, "part");
            return ": " + (part == null ? "" : part + ": ") + error;
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
