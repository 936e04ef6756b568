package org.triplane.messaging;

/** A relay pass that could not get every record acknowledged; its rows stay unpublished. */
public final class RelayException extends RuntimeException {

    /**
     * @param message what failed, naming the outbox row and topic
     * @param cause   the producer's error
     */
    public RelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
