package org.triplane.gateway.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.triplane.db.IdempotencyConflictException;
import org.triplane.gateway.service.ObjectStore;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.gateway.service.ServiceBusy;

/** Turns service exceptions into {@link ErrorResponse} answers. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response rejected(RequestRejected e) {
        return json(e.status(), e.part(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response busy(ServiceBusy e) {
        return retryLater(503, e.part(), e.getMessage(), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response idempotencyConflict(IdempotencyConflictException e) {
        return json(409, "Idempotency-Key", e.getMessage());
    }

    @ServerExceptionMapper
    public Response badJson(com.fasterxml.jackson.core.JsonProcessingException e) {
        return json(400, "body", "not a valid JSON request body: " + e.getOriginalMessage());
    }

    // why: Quarkus ships a mapper for this subtype (wrong value types, e.g. a bad UUID); ours must be as specific
    @ServerExceptionMapper
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response reportIncomplete(org.triplane.gateway.report.ReportIncomplete e) {
        LOG.error(e.getMessage(), e.getCause());
        return json(500, "scanId", e.getMessage());
    }

    @ServerExceptionMapper
    public Response objectStoreDown(ObjectStore.ObjectStoreException e) {
        LOG.error("object store call failed", e);
        return json(503, "object-store", "object store unavailable, retry later");
    }

    @ServerExceptionMapper
    public Response databaseDown(org.triplane.db.DataAccessException e) {
        LOG.error("database call failed", e);
        return json(503, "database", "database unavailable, retry later");
    }

    static Response json(int status, String part, String error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorResponse(part, error)).build();
    }

    /** {@link #json} with {@code Retry-After: seconds}. */
    static Response retryLater(int status, String part, String error, long seconds) {
        return Response.fromResponse(json(status, part, error)).header("Retry-After", Long.toString(seconds)).build();
    }
}
