package org.triplane.gateway.rest;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.triplane.gateway.service.TenantAuth;

/**
 * Authenticates every request to an {@link ActsForTenant} resource from its {@code X-Api-Key}
 * header, after matching but before the body is read: a caller without a valid key gets its 401
 * before any byte of an upload reaches the gateway's disk or of a JSON body its memory.
 */
public class TenantAuthFilter {
    private final TenantAuth auth;
    private final CallingTenant caller;

    public TenantAuthFilter(TenantAuth auth, CallingTenant caller) {
        this.auth = auth;
        this.caller = caller;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(ActsForTenant.class)) {
            String key = request.getHeaderString(TenantAuth.HEADER);
            caller.set(auth.tenantOf(key), TenantAuth.requester(key));
        }
    }
}
