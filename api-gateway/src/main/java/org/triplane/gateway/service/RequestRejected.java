package org.triplane.gateway.service;

/**
 * A request refused with a 4xx answer, a problem document ({@code application/problem+json}) whose
 * {@code detail} says what is wrong and whose {@code part} says where: a multipart part ({@code ct},
 * {@code transform}, {@code labels}), a header, a query parameter or a JSON field.
 */
public final class RequestRejected extends RuntimeException {

    private final int status;
    private final String part;

    /**
     * @param status HTTP status, 4xx
     * @param part   the part, header or field at fault
     * @param error  the problem, for a person
     */
    public RequestRejected(int status, String part, String error) {
        super(error);
        this.status = status;
        this.part = part;
    }

    /** @param part the part at fault @param error the problem @return a 400 Bad Request */
    public static RequestRejected badRequest(String part, String error) {
        return new RequestRejected(400, part, error);
    }

    /** @param part what was looked for @param error what was not found @return a 404 Not Found */
    public static RequestRejected notFound(String part, String error) {
        return new RequestRejected(404, part, error);
    }

    /** @return HTTP status */
    public int status() {
        return status;
    }

    /** @return the part, header or field at fault */
    public String part() {
        return part;
    }
}
