package org.triplane.client;

import java.io.IOException;

/** No connection to the gateway could be made (refused, unknown host, connect timeout). */
public final class GatewayUnreachableException extends IOException {
    private final String baseUrl;

    public GatewayUnreachableException(String baseUrl, Throwable cause) {
        super("gateway " + baseUrl + " is unreachable (" + reason(cause) + ")", cause);
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    private static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return cause == null ? "no answer" : cause.getClass().getSimpleName();
    }
}
