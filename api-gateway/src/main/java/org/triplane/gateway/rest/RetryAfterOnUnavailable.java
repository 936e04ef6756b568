package org.triplane.gateway.rest;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every 503 this gateway answers carries {@code Retry-After}: those of the resources name their own
 * delay; the others (the readiness check while a dependency is down, anything answered below the REST
 * layer) get {@link ErrorMappers#DEPENDENCY_RETRY_SECONDS}, so a client or a load balancer knows when
 * to ask again.
 */
@ApplicationScoped
public class RetryAfterOnUnavailable {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerResponse response = ctx.response();
            ctx.addHeadersEndHandler(v -> {
                if (response.getStatusCode() == 503 && !response.headers().contains("Retry-After")) {
                    response.putHeader("Retry-After", Long.toString(ErrorMappers.DEPENDENCY_RETRY_SECONDS));
                }
            });
            ctx.next();
        });
    }
}
