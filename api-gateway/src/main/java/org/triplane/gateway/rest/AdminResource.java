package org.triplane.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.triplane.db.tenants.Tenant;
import org.triplane.gateway.service.AdminService;

/** Administration for the command line and demos (tenants and their settings), guarded by {@code X-Admin-Token}. */
@Path("/api/v1/admin")
public class AdminResource {

    @Inject
    AdminService admin;

    /**
     * @param name              unique tenant name
     * @param deidentifyUploads whether the NIfTI parts of its uploads are stored de-identified; absent: yes
     */
    public record NewTenant(String name, Boolean deidentifyUploads) {
    }

    /**
     * @param tenantId the tenant @param name its name @param apiKey its first API key, shown only here
     * @param deidentifyUploads whether its uploads are stored de-identified
     */
    public record TenantCreated(UUID tenantId, String name, String apiKey, boolean deidentifyUploads) {
    }

    /** @param deidentifyUploads whether the NIfTI parts of the tenant's uploads are stored de-identified */
    public record TenantSettings(Boolean deidentifyUploads) {
    }

    /** @param tenantId the tenant @param name its name @param deidentifyUploads whether its uploads are stored de-identified */
    public record TenantView(UUID tenantId, String name, boolean deidentifyUploads) {
    }

    @POST
    @Path("/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a tenant and its first API key", description = "deidentifyUploads (optional, default "
            + "true): whether the NIfTI parts (ct, labels) of the tenant's uploads are stored de-identified, free-text "
            + "header fields and extensions removed (see POST /api/v1/scans), or as uploaded.")
    public Response createTenant(@RestHeader(AdminService.HEADER) String token, NewTenant body) {
        AdminService.Created c = admin.createTenant(token, body == null ? null : body.name(),
                body == null ? null : body.deidentifyUploads());
        Tenant t = c.tenant();
        return Response.status(201).entity(new TenantCreated(t.id(), t.name(), c.key().secret(), t.deidentifyUploads())).build();
    }

    @PATCH
    @Path("/tenants/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a tenant's settings", description = "deidentifyUploads (required): whether the NIfTI "
            + "parts of the tenant's uploads from now on are stored de-identified or as uploaded; scans already stored "
            + "keep what they were stored as (each scan's upload.deidentified says which). 404 for an unknown tenant.")
    public TenantView updateTenant(@RestHeader(AdminService.HEADER) String token, @RestPath UUID id, TenantSettings body) {
        Tenant t = admin.setDeidentifyUploads(token, id, body == null ? null : body.deidentifyUploads());
        return new TenantView(t.id(), t.name(), t.deidentifyUploads());
    }
}
