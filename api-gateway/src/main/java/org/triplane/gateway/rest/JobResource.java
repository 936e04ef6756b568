package org.triplane.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Submission;
import org.triplane.gateway.report.ReportService;
import org.triplane.gateway.report.ReportTokens;
import org.triplane.gateway.service.AuditService;
import org.triplane.gateway.service.JobService;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.gateway.service.ResultService;

/** Submit jobs and read their audit trail. Every call acts for the tenant of {@code X-Api-Key}. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@ActsForTenant
@SecurityRequirement(name = ProblemResponses.API_KEY_SCHEME)
public class JobResource {

    /** Header carrying the client's idempotency key; repeating it returns the first job. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final String CSV = "text/csv";

    @Inject
    CallingTenant caller;

    @Inject
    JobService jobs;

    @Inject
    ObjectMapper json;

    @Inject
    ResultService results;

    @Inject
    AuditService audits;

    @Inject
    ReportService reports;

    @Inject
    ReportTokens tokens;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "201 when created, 200 with the first job for a repeated "
            + "Idempotency-Key. Every job's scans are preprocessed. A segment or evaluate job may name a model set "
            + "(field or parameter modelSetId; 404 when it does not exist, 409 when it lacks a plane's model). A train "
            + "job needs at least 2 scans, each uploaded with labels (400 naming the scans without), and no modelSetId; "
            + "once its scans are preprocessed it creates its model set and one training task per plane (with the "
            + "parameter folds = k: k model sets and one training task per plane and fold). Parameters "
            + "must be a JSON object of the keys the job's kind takes: a key it does not take is refused with 400 "
            + "naming parameters.<key> and listing the keys it does, a wrong value with 400 naming parameters.<key> and "
            + "saying what is expected, before anything is written. " + FusionParameterDocs.TEXT + " "
            + TrainingParameterDocs.TEXT
            + " A modelSetName already in use is a 409. The body is at most triplane.upload.max-json-bytes (4 MiB; "
            + "413 body) with parameters of at most 64 Ki characters (413 parameters); a missing or unknown X-Api-Key "
            + "is answered 401 before the body is read.")
    @APIResponse(responseCode = "201", description = "the job, created")
    @APIResponse(responseCode = "200", description = "the job first created with this Idempotency-Key")
    @APIResponse(responseCode = "409", description = "the model set lacks a plane's model, no default model set is "
            + "registered, or the model set name is taken")
    @APIResponse(responseCode = "413", description = "the body or its parameters are too large")
    @APIResponse(responseCode = "422", description = "the Idempotency-Key was used for another request")
    public Response submit(@RestHeader(IDEMPOTENCY_HEADER) String idempotencyKey,
                           JobSubmissionRequest body) {
        UUID tenant = caller.id();
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw RequestRejected.badRequest(IDEMPOTENCY_HEADER, "header required: a client-chosen key that makes retries safe");
        }
        if (body == null) {
            throw RequestRejected.badRequest("body", "JSON body {kind, scanIds, parameters} required");
        }
        JsonNode parameters = parametersObject(body.parameters());
        Submission s = jobs.submit(tenant, caller.requester(), idempotencyKey.strip(), kind(body.kind()),
                body.scanIds() == null ? List.of() : body.scanIds(), parameters(parameters), body.modelSetId());
        JobResponse answer = JobResponse.summary(s.job());
        return s.created()
                ? Response.created(URI.create("/api/v1/jobs/" + s.job().id())).entity(answer).build()
                : Response.ok(answer).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A job with per-scan state, tasks, transitions, timings and errors")
    public JobResponse get(@RestPath UUID id) {
        UUID tenant = caller.id();
        return jobs.details(tenant, id).map(JobResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "A SUBMITTED or RUNNING job becomes CANCELLED with its PENDING and "
            + "RUNNING tasks and its unfinished scans, in one transaction, each change in the transitions with the "
            + "caller's key as actor: no worker starts a cancelled task, and one running it stops at its next heartbeat. "
            + "200 with the job as GET /api/v1/jobs/{id} answers it; again 200 for a job already cancelled; 409 naming id "
            + "for a job that has SUCCEEDED or FAILED.")
    @APIResponse(responseCode = "200", description = "the cancelled job")
    @APIResponse(responseCode = "409", description = "the job already SUCCEEDED or FAILED")
    public JobResponse cancel(@RestPath UUID id) {
        UUID tenant = caller.id();
        return jobs.cancel(tenant, id, caller.requester()).map(JobResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"));
    }

    @GET
    @Path("/{id}/training")
    @Operation(summary = "A train job's training: per plane its task and epochs",
            description = "Per TRAIN task: plane, fold (1..k for a k-fold job, else null), state, attempt, worker, device "
                    + "and its finished epochs in order (losses, validation mean IoU and IoU per label 0..20, null where a "
                    + "label is absent; seconds). tasks is empty until every scan of the job is preprocessed. A k-fold job "
                    + "(parameter folds) has no modelSetId but a crossValidation object: folds (k) and per plane each "
                    + "fold's modelSetId, modelId and bestValidationMeanIou (the model's validation mean IoU at its best "
                    + "epoch, on that fold's scans), with their mean and sample standard deviation sd (n - 1) over the "
                    + "folds that have one. The training history is tenant data: another "
                    + "tenant's job answers 404, and so does a job that is not a train job.")
    public TrainingResponse training(@RestPath UUID id) {
        UUID tenant = caller.id();
        return jobs.training(tenant, id).map(TrainingResponse::of)
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"));
    }

    @GET
    @Operation(summary = "Audit list of the caller's jobs, newest first",
            description = "Filters (all optional, combined with AND, applied in the database): state, kind (segment, "
                    + "evaluate, train), modelSetId (jobs that run or, for train jobs, produced that set), modelId (jobs "
                    + "whose set holds that model), from / to (ISO-8601 instants on the creation time, from inclusive, "
                    + "to exclusive). Paged by cursor: limit 1..1000 rows a page (default 100), ordered by creation time then "
                    + "id; unless it is the last page, the Link header's rel=\"next\" is the next page's request (with an "
                    + "opaque cursor), which stays exact while jobs are added. Each job as GET /api/v1/jobs/{id} answers it without "
                    + "its scans, tasks and transitions (empty) and without its parameters (null; the job's own answer "
                    + "and its audit have them), so that a list's size does not grow with what jobs were submitted with.")
    @APIResponse(responseCode = "200", description = "one page, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = JobResponse.class)),
            headers = @Header(name = "Link", description = "<the next page's request>; rel=\"next\", absent on the last page",
                    schema = @Schema(type = SchemaType.STRING)))
    public Response list(@RestQuery String state, @RestQuery String kind, @RestQuery String modelSetId,
                         @RestQuery String modelId, @RestQuery String from, @RestQuery String to, @RestQuery Integer limit,
                         @RestQuery String cursor, @Context UriInfo request) {
        UUID tenant = caller.id();
        JobFilter filter = new JobFilter(state(state), kind == null || kind.isBlank() ? null : kind(kind),
                Params.uuid("modelSetId", modelSetId), Params.uuid("modelId", modelId), instant("from", from),
                instant("to", to));
        return Paging.answer(jobs.list(tenant, filter, Paging.position(cursor), Paging.limit(limit)), JobResponse::listed,
                request);
    }

    @GET
    @Path("/{id}/results")
    @Operation(summary = "A job's results per scan: object keys and downloads, fusion method, region statistics, evaluation",
            description = "One entry per scan with a result. finalResults is true once the job has ended: its results "
                    + "never change again (a re-run is a new job). The evaluation's 21x21 confusion matrices are included "
                    + "with confusion=true.")
    public ResultsResponse results(@RestPath UUID id,
                                   @RestQuery Boolean confusion) {
        UUID tenant = caller.id();
        return results.results(tenant, id).map(r -> ResultsResponse.of(r, Boolean.TRUE.equals(confusion), json))
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"));
    }

    @GET
    @Path("/{id}/results/{scanId}/objects/{name}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download one result object of a scan, streamed",
            description = "name: segmentation (fused labels on the acquired grid), rotated-segmentation, report, a "
                    + "per-plane prediction such as axial-labels / axial-confidence, or a label volume's viewer table "
                    + "(segmentation.itksnap.txt for ITK-SNAP, segmentation.ctbl for 3D Slicer, axial-labels.ctbl, ...), as "
                    + "listed in the results' objects.")
    public Response resultObject(@RestPath UUID id, @RestPath UUID scanId,
                                 @RestPath String name) {
        UUID tenant = caller.id();
        InputStream in = results.open(tenant, id, scanId, name);
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + scanId + "-" + name + "\"").build();
    }

    @GET
    @Path("/{id}/metrics")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "A job's per-class metrics (class_metrics rows), as JSON or CSV",
            description = "Filters: plane (axial, coronal, sagittal, atlas, fused), class (0..20), scanId. CSV with "
                    + "Accept: text/csv or format=csv (columns as the JSON fields, empty where a value does not exist).")
    public Response metrics(@RestHeader("Accept") String accept,
                            @RestPath UUID id, @RestQuery String plane, @RestQuery("class") String classLabel,
                            @RestQuery String scanId, @RestQuery String format) {
        UUID tenant = caller.id();
        boolean csv = csv(format, accept);
        List<MetricRow> rows = results.metrics(tenant, id, Params.plane(plane), Params.classLabel(classLabel),
                        Params.uuid("scanId", scanId))
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"))
                .stream().map(MetricRow::of).toList();
        return csv
                ? Response.ok(MetricRow.csv(rows), CSV + "; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"job-" + id + "-metrics.csv\"").build()
                : Response.ok(rows, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/{id}/audit")
    @Operation(summary = "Everything recorded about a job in one document",
            description = "Who submitted what and when (requester, parameters, code version); per input scan its "
                    + "checksums, grid, transform with Euler angles and HU window; the model set with each model's "
                    + "training lineage (training scans and checksums, hyper-parameters, seed, code version, validation "
                    + "metrics, trainingJobId); every task (worker, device, attempt, timings) and state transition "
                    + "(time, actor, attempt, reason); results and a per-scan metric summary; the dead letters "
                    + "(input a worker gave up on, with the reason).")
    public AuditResponse audit(@RestPath UUID id) {
        UUID tenant = caller.id();
        return audits.audit(tenant, id).map(a -> AuditResponse.of(a, json))
                .orElseThrow(() -> RequestRejected.notFound("id", "job " + id + " not found"));
    }

    @GET
    @Path("/{id}/report")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "A SUCCEEDED job's HTML report as one self-contained file (409 for any other state)",
            description = "Per-class metric table and charts, confusion-matrix heat map, per-region volume and HU "
                    + "table, overlay images: one HTML file that holds its scripts, styles and images (as data: URIs) and "
                    + "opens from disk without this gateway; images not rendered yet are rendered first (503 with "
                    + "Retry-After when rendering is busy). For a browser, which cannot send X-Api-Key, use the link from "
                    + "/report/link: that page links its images instead.")
    public Response report(@RestPath UUID id) {
        UUID tenant = caller.id();
        return ReportResource.page(reports.selfContainedPage(tenant, id));
    }

    @GET
    @Path("/{id}/report/link")
    @Operation(summary = "A signed, expiring link to a job's report that a browser can open without the API key")
    public ReportLinkResponse reportLink(@RestPath UUID id) {
        UUID tenant = caller.id();
        if (jobs.details(tenant, id).isEmpty()) {
            throw RequestRejected.notFound("id", "job " + id + " not found");
        }
        ReportTokens.Issued t = tokens.issue(tenant, id);
        return new ReportLinkResponse("/reports/" + id + "?token=" + t.token(), t.expiresAt());
    }

    private static boolean csv(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw RequestRejected.badRequest("format", "csv or json, got " + format);
            };
        }
        return accept != null && accept.contains(CSV) && !accept.contains(MediaType.APPLICATION_JSON);
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

    private JsonNode parametersObject(JsonNode parameters) {
        if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
            return json.createObjectNode();
        }
        if (!parameters.isObject()) {
            throw RequestRejected.badRequest("parameters", "must be a JSON object, got " + parameters.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        return parameters;
    }

    private String parameters(JsonNode parameters) {
        try {
            return json.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("parameters", "not serialisable as JSON: " + e.getOriginalMessage());
        }
    }
}
