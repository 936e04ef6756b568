package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.triplane.db.tenants.ApiKeys;
import org.triplane.db.tenants.Tenants;

/** Resolves the {@code X-Api-Key} header to the caller's tenant. */
@ApplicationScoped
public class TenantAuth {

    /** Header carrying the client's API key. */
    public static final String HEADER = "X-Api-Key";

    private final Databases db;

    @Inject
    public TenantAuth(Databases db) {
        this.db = db;
    }

    /**
     * @param apiKey the header's value, may be {@code null}
     * @return the key's tenant
     * @throws RequestRejected 401 when the key is missing, malformed, unknown or revoked
     */
    public UUID tenantOf(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new RequestRejected(401, HEADER, "missing API key");
        }
        return db.app().run(c -> Tenants.tenantForKey(c, apiKey.strip()))
                .orElseThrow(() -> new RequestRejected(401, HEADER, "unknown or revoked API key"));
    }

    /** @param apiKey a valid key @return who is recorded as requester: {@code api-key:<public prefix>} */
    public static String requester(String apiKey) {
        return "api-key:" + ApiKeys.prefixOf(apiKey.strip()).orElse("unknown");
    }
}
