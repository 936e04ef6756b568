package org.triplane.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.triplane.db.JobKind;
import org.triplane.db.JobState;
import org.triplane.db.Submission;
import org.triplane.gateway.service.JobService;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.gateway.service.TenantAuth;

/** Submit jobs and read their audit trail. Every call acts for the tenant of {@code X-Api-Key}. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    /** Header carrying the client's idempotency key; repeating it returns the first job. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    @Inject
    TenantAuth auth;

    @Inject
    JobService jobs;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "201 when created, 200 with the first job for a repeated Idempotency-Key")
    public Response submit(@RestHeader(TenantAuth.HEADER) String apiKey, @RestHeader(IDEMPOTENCY_HEADER) String idempotencyKey,
                           JobSubmissionRequest body) {
        UUID tenant = auth.tenantOf(apiKey);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw RequestRejected.badRequest(IDEMPOTENCY_HEADER, "header required: a client-chosen key that makes retries safe");
        }
        if (body == null) {
            throw RequestRejected.badRequest("body", "JSON body {kind, scanIds, parameters} required");
        }
        Submission s = jobs.submit(tenant, TenantAuth.requester(apiKey), idempotencyKey.strip(), kind(body.kind()),
                body.scanIds() == null ? List.of() : body.scanIds(), parameters(body.parameters()));
        JobResponse answer = JobResponse.summary(s.job());
        return s.created()
                ? Response.created(URI.create("/api/v1/jobs/" + s.job().id())).entity(answer).build()
                : Response.ok(answer).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A job with per-scan state, tasks, transitions, timings and errors")
    public JobResponse get(@RestHeader(TenantAuth.HEADER) String apiKey, @RestPath UUID id) {
        UUID tenant = auth.tenantOf(apiKey);
        return jobs.details(tenant, id).map(JobResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"));
    }

    @GET
    @Operation(summary = "Audit list of the caller's jobs, newest first; from/to are ISO-8601 instants on the creation time")
    public List<JobResponse> list(@RestHeader(TenantAuth.HEADER) String apiKey, @RestQuery String state,
                                  @RestQuery String from, @RestQuery String to, @RestQuery Integer limit) {
        UUID tenant = auth.tenantOf(apiKey);
        return jobs.list(tenant, state(state), instant("from", from), instant("to", to), limit == null ? 100 : limit)
                .stream().map(JobResponse::summary).toList();
    }

    private static JobKind kind(String kind) {
        if (kind == null) {
            throw RequestRejected.badRequest("kind", "required: segment, evaluate or train");
        }
        try {
            return JobKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("kind", "unknown kind '" + kind + "': segment, evaluate or train");
        }
    }

    private static JobState state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return JobState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("state", "unknown state '" + state + "'");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw RequestRejected.badRequest(name, "not an ISO-8601 instant such as 2026-01-31T00:00:00Z: " + value);
        }
    }

    private String parameters(Map<String, Object> parameters) {
        try {
            return json.writeValueAsString(parameters == null ? Map.of() : parameters);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("parameters", "not serialisable as JSON: " + e.getOriginalMessage());
        }
    }
}
