package org.triplane.worker.run;

/** A failure that may pass if tried again later (a server briefly down, a timeout). */
public class TransientException extends RuntimeException {
    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
