package org.triplane.gateway.service;

/**
 * The gateway is at its limit for this kind of work: answered 503 with {@code Retry-After}, so a
 * browser or client asks again later instead of the gateway running out of memory.
 */
public final class ServiceBusy extends RuntimeException {

    private final String part;
    private final long retryAfterSeconds;

    /**
     * @param part              what is busy, as the answer's {@code part}
     * @param error             the problem, for a person
     * @param retryAfterSeconds when to ask again (≥ 1)
     */
    public ServiceBusy(String part, String error, long retryAfterSeconds) {
        super(error);
        this.part = part;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public String part() {
        return part;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
