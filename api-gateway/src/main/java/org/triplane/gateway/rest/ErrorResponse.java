package org.triplane.gateway.rest;

/**
 * Body of every 4xx answer.
 *
 * @param part  what is at fault: a multipart part ({@code ct}, {@code transform}, {@code labels}),
 *              a header ({@code X-Api-Key}, {@code Idempotency-Key}) or a JSON field
 * @param error the problem, for a person
 */
public record ErrorResponse(String part, String error) {
}
