package org.triplane.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.triplane.gateway.service.AdminService;

/** Administration for the command line and demos, guarded by {@code X-Admin-Token}. */
@Path("/api/v1/admin")
public class AdminResource {

    @Inject
    AdminService admin;

    /** @param name unique tenant name */
    public record NewTenant(String name) {
    }

    /** @param tenantId the tenant @param name its name @param apiKey its first API key, shown only here */
    public record TenantCreated(UUID tenantId, String name, String apiKey) {
    }

    @POST
    @Path("/tenants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a tenant and its first API key")
    public Response createTenant(@RestHeader(AdminService.HEADER) String token, NewTenant body) {
        AdminService.Created c = admin.createTenant(token, body == null ? null : body.name());
        return Response.status(201).entity(new TenantCreated(c.tenant().id(), c.tenant().name(), c.key().secret())).build();
    }
}
