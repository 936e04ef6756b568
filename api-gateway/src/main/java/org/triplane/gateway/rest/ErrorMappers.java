package org.triplane.gateway.rest;

import jakarta.ws.rs.WebApplicationException;
import org.triplane.objectstore.ObjectStore;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.triplane.db.jobs.IdempotencyConflictException;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.gateway.service.ServiceBusy;
import org.triplane.objectstore.ObjectStoreException;

/**
 * Turns every exception that reaches the HTTP answer into a {@link Problem}: the service's own
 * refusals, the HTTP layer's (no such route, method not allowed, unsupported media type) and
 * whatever else went wrong (500, logged, with no internals in the answer).
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    /**
     * When to ask again after a dependency (database, object store) was unavailable, in seconds:
     * long enough for a restarted container to accept connections again.
     */
    static final long DEPENDENCY_RETRY_SECONDS = 5;

    @ServerExceptionMapper
    public Response rejected(RequestRejected e, UriInfo uri) {
        return problem(e.status(), e.part(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response busy(ServiceBusy e, UriInfo uri) {
        return retryLater(Problem.of(503, e.part(), e.getMessage(), path(uri)), e.retryAfterSeconds());
    }

    // why 422: the key is well-formed but names a request other than this one (the IETF idempotency-key draft)
    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e, UriInfo uri) {
        return problem(422, JobResource.IDEMPOTENCY_HEADER, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response badJson(com.fasterxml.jackson.core.JsonProcessingException e, UriInfo uri) {
        return problem(400, "body", "not a valid JSON request body: " + e.getOriginalMessage(), uri);
    }

    // why: Quarkus ships a mapper for this subtype (wrong value types, e.g. a bad UUID); ours must be as specific
    @ServerExceptionMapper
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public Response reportIncomplete(org.triplane.gateway.report.ReportIncomplete e, UriInfo uri) {
        LOG.error(e.getMessage(), e.getCause());
        return problem(500, "scanId", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response objectStoreDown(ObjectStoreException e, UriInfo uri) {
        LOG.error("object store call failed", e);
        return retryLater(Problem.of(503, "object-store", "object store unavailable, retry later", path(uri)),
                DEPENDENCY_RETRY_SECONDS);
    }

    @ServerExceptionMapper
    public Response databaseDown(org.triplane.db.DataAccessException e, UriInfo uri) {
        LOG.error("database call failed", e);
        return retryLater(Problem.of(503, "database", "database unavailable, retry later", path(uri)),
                DEPENDENCY_RETRY_SECONDS);
    }

    /** The HTTP layer's refusals (404 no route, 405, 406, 415): their status, no {@code part}. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "unsupported request media type";
            default -> Response.Status.Family.familyOf(status) == Response.Status.Family.SERVER_ERROR
                    ? "internal error" : e.getMessage();
        };
        Response.ResponseBuilder answer = Response.fromResponse(problem(status, null, detail, uri));
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null ? answer.build() : answer.header("Allow", allow).build();
    }

    // why: a failure without a mapper of its own still answers a problem, and says nothing of the internals
    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.error("request failed", e);
        return problem(500, null, "internal error; the gateway's log has the cause", uri);
    }

    private static Response problem(int status, String part, String detail, UriInfo uri) {
        return Problem.of(status, part, detail, path(uri)).response();
    }

    /** @return the problem's response with {@code Retry-After: seconds} */
    static Response retryLater(Problem problem, long seconds) {
        return Response.fromResponse(problem.response()).header("Retry-After", Long.toString(seconds)).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
