package org.triplane.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;
import org.triplane.gateway.service.CompareService;

/** Metric comparisons on the same scans. Every call acts for the tenant of {@code X-Api-Key}. */
@Path("/api/v1/compare")
@Produces(MediaType.APPLICATION_JSON)
@ActsForTenant
@SecurityRequirement(name = ProblemResponses.API_KEY_SCHEME)
public class CompareResource {

    @Inject
    CallingTenant caller;

    @Inject
    CompareService compare;

    @GET
    @Path("/jobs")
    @Operation(summary = "Two jobs on their common scans: per prediction and class the metric means and b − a",
            description = "a, b: job ids of the caller (404 otherwise). 409 when the jobs share no scan. Means are "
                    + "paired: over the scans on which both jobs have the metric.")
    public ComparisonResponse jobs(@RestQuery String a, @RestQuery String b) {
        UUID tenant = caller.id();
        return ComparisonResponse.of(compare.jobs(tenant, Params.requiredUuid("a", a), Params.requiredUuid("b", b)));
    }

    @GET
    @Path("/model-sets")
    @Operation(summary = "Two model sets on the scans both were evaluated on by the caller's finished jobs",
            description = "a, b: model set ids (404 when unknown). Per set and scan the most recently finished "
                    + "SUCCEEDED job with metrics is used; 409 when no scan has one of each.")
    public ComparisonResponse modelSets(@RestQuery String a,
                                        @RestQuery String b) {
        UUID tenant = caller.id();
        return ComparisonResponse.of(compare.modelSets(tenant, Params.requiredUuid("a", a), Params.requiredUuid("b", b)));
    }
}
