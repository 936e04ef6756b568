package org.triplane.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Body of every error answer: an RFC 9457 problem document ({@code application/problem+json}).
 * {@code type} is {@code about:blank}, so {@code title} is the status's reason phrase; what is wrong
 * is in {@code detail}, and the extension member {@code part} names where, for a program to act on.
 *
 * @param type     {@code about:blank}: the status says what kind of problem it is
 * @param title    the status's reason phrase, e.g. {@code Conflict}
 * @param status   the HTTP status, repeated for clients that see the body only
 * @param detail   the problem, for a person
 * @param instance the request's path
 * @param part     what is at fault: a multipart part ({@code ct}, {@code transform}, {@code labels}), a header
 *                 ({@code X-Api-Key}, {@code Idempotency-Key}), a query parameter or a JSON field; absent when the
 *                 request matched no route
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String part) {

    /** RFC 9457's media type. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** {@link #MEDIA_TYPE} as a media type. */
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

    /**
     * @param status   HTTP status
     * @param part     what is at fault, or {@code null}
     * @param detail   the problem, for a person
     * @param instance the request's path, or {@code null}
     * @return the problem, titled with the status's reason phrase
     */
    public static Problem of(int status, String part, String detail, String instance) {
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        Response.StatusType known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : switch (status) {
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> family.name();
        };
        return new Problem("about:blank", title, status, detail, instance, part);
    }

    /** @return this problem as a response with its status and media type */
    public Response response() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
