package org.triplane.worker.storage;

import java.io.IOException;

/**
 * A stored volume object that cannot be read ({@link VolumeObjectFormat}): the message is one line
 * naming the object (its key) and the problem.
 */
public class InvalidVolumeObjectException extends IOException {
    private final String object;
    private final String problem;

    public InvalidVolumeObjectException(String object, String problem) {
        super(object + ": " + problem);
        this.object = object;
        this.problem = problem;
    }

    /** The object's name as the reader was given it (its key in the object store). */
    public String object() {
        return object;
    }

    /** The problem without the object's name. */
    public String problem() {
        return problem;
    }
}
