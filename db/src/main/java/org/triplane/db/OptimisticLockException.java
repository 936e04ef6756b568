package org.triplane.db;

/**
 * A compare-and-set update found the row in a different state or version than the caller read:
 * someone else changed it first. Re-read the row and decide again; never retry blindly.
 */
public class OptimisticLockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message which row, what was expected and what was found */
    public OptimisticLockException(String message) {
        super(message);
    }
}
