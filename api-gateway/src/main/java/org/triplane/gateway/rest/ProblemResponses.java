package org.triplane.gateway.rest;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the OpenAPI document (applied when the gateway is built): the {@code X-Api-Key}
 * security scheme that the tenant resources require, the {@link Problem} schema, and per operation
 * the error answers it can give, each {@code application/problem+json}: 400 for an operation with
 * parameters or a body, 401 and 429 (with {@code Retry-After}) for one that needs the key, 404 for
 * one that names a resource by id, 500, and 503 (with {@code Retry-After}) for every operation.
 * Answers an operation declares itself (409, 413, 422, ...) get the same content.
 */
public class ProblemResponses implements OASFilter {

    /** Name of the API-key security scheme in the document. */
    public static final String API_KEY_SCHEME = "ApiKey";

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(API_KEY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-Api-Key")
                .description("The tenant's API key (POST /api/v1/admin/tenants issues it); every /api/v1 call but the "
                        + "admin ones acts for that key's tenant"));
        openAPI.getComponents().addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Operation op : path.getValue().getOperations().values()) {
                complete(path.getKey(), op);
            }
        }
    }

    private static void complete(String path, Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        boolean keyed = op.getSecurity() != null && !op.getSecurity().isEmpty();
        boolean takesInput = op.getRequestBody() != null || (op.getParameters() != null && !op.getParameters().isEmpty());
        Map<String, String> errors = new TreeMap<>();
        if (takesInput) {
            errors.put("400", "the request is malformed; part names the parameter, header, field or multipart part");
        }
        if (keyed) {
            errors.put("401", "X-Api-Key is missing, unknown or revoked");
            errors.put("429", "too many failed authentications from this client or for this key; see Retry-After");
        }
        if (path.contains("{")) {
            errors.put("404", "not found, or another tenant's; part names the path parameter");
        }
        errors.put("500", "an internal error (the gateway's log has the cause)");
        errors.put("503", "a dependency (database, object store) is unavailable or the gateway is busy; see Retry-After");
        errors.forEach((status, description) -> {
            if (op.getResponses().getAPIResponse(status) == null) {
                op.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description));
            }
        });
        op.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                asProblem(status, response);
            }
        });
    }

    private static void asProblem(String status, APIResponse response) {
        response.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
        if (status.equals("503") || status.equals("429")) {
            response.addHeader("Retry-After", OASFactory.createHeader().description("seconds to wait before asking again")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        }
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details (application/problem+json)")
                .addRequired("type").addRequired("title").addRequired("status").addRequired("detail")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri-reference")
                        .description("about:blank: the status says what kind of problem it is"))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the status's reason phrase"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).description("HTTP status"))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("what is wrong, for a person"))
                .addProperty("instance", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri-reference")
                        .description("the request's path"))
                .addProperty("part", text.description("what is at fault: a multipart part (ct, transform, labels), a "
                        + "header (X-Api-Key, Idempotency-Key), a query parameter or a JSON field; absent when no route "
                        + "matched"));
    }
}
