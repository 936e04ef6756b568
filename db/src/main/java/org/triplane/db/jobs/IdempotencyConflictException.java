package org.triplane.db.jobs;

/**
 * An idempotency key was reused for a request that differs from the one that first used it (kind,
 * parameters, model set or scans). Returning the old job would silently ignore the new request,
 * so the caller must choose a new key (REST: 422).
 */
public class IdempotencyConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which key and what differs */
    public IdempotencyConflictException(String message) {
        super(message);
    }
}
