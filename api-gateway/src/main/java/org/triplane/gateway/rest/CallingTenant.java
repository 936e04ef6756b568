package org.triplane.gateway.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The tenant {@link TenantAuthFilter} authenticated for the current request. */
@RequestScoped
public class CallingTenant {
    private UUID tenant;
    private String requester;

    void set(UUID tenant, String requester) {
        this.tenant = tenant;
        this.requester = requester;
    }

    /**
     * @return the authenticated tenant
     * @throws IllegalStateException when the request was not authenticated (a resource not marked {@link ActsForTenant})
     */
    public UUID id() {
        if (tenant == null) {
            throw new IllegalStateException("no tenant authenticated for this request: is the resource marked @ActsForTenant?");
        }
        return tenant;
    }

    /** @return who is recorded as acting: {@code api-key:<public prefix>} of the authenticated key */
    public String requester() {
        id();
        return requester;
    }
}
