package org.triplane.imaging.geometry;

import java.io.IOException;
import java.nio.file.Path;

/** A transform file that cannot be used: the message names the file and the problem in one line. */
public class InvalidTransformException extends IOException {
    private final String problem;

    public InvalidTransformException(Path file, String problem) {
        super(file + ": " + problem);
        this.problem = problem;
    }

    /** The problem without the file name. */
    public String problem() {
        return problem;
    }
}
