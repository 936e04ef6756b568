package org.triplane.objectstore;

/** An object-store call that failed; the message names the call and the key. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
