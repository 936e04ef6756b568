package org.triplane.gateway.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.triplane.gateway.service.AuthThrottle;
import org.triplane.gateway.service.TenantAuth;

/**
 * Applies {@link AuthThrottle} to every request: a locked-out client or key is answered 429 with
 * {@code Retry-After} before the request is matched or its body read; every 401 and 403 answer is
 * counted as a failed authentication of the client that got it.
 */
public class AuthThrottleFilters {
    private final AuthThrottle throttle;

    public AuthThrottleFilters(AuthThrottle throttle) {
        this.throttle = throttle;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseLockedOut(ContainerRequestContext request, HttpServerRequest http) {
        Optional<Duration> locked = throttle.lockedFor(client(http), request.getHeaderString(TenantAuth.HEADER));
        return locked.map(d -> {
            long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
            return ErrorMappers.retryLater(Problem.of(429, "authentication", "too many failed authentications from this "
                    + "client or for this key; try again in " + seconds + " s", request.getUriInfo().getRequestUri()
                    .getRawPath()), seconds);
        });
    }

    @ServerResponseFilter
    public void countFailures(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        int status = response.getStatus();
        if (status == 401 || status == 403) {
            throttle.failed(client(http), request.getHeaderString(TenantAuth.HEADER));
        }
    }

    /** The peer's address; behind a proxy, the proxy's (see the deployment notes on forwarded headers). */
    private static String client(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
