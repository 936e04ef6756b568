package org.triplane.objectstore;

/**
 * The object asked for is not in the bucket. why: its own type, because unlike other failures it
 * does not go away by retrying: a worker treats it as poison, not as a transient failure.
 */
public class MissingObjectException extends ObjectStoreException {
    public MissingObjectException(String key, String bucket, Throwable cause) {
        super("object " + key + " is missing from bucket " + bucket + "; upload it again", cause);
    }
}
