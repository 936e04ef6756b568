package org.triplane.imaging.nifti;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a readable image: the message is one line naming the file and the problem,
 * fit to show a person as it is.
 */
public class InvalidImageException extends IOException {
    private final transient Path file;
    private final String problem;

    public InvalidImageException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public InvalidImageException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The problem without the file name. */
    public String problem() {
        return problem;
    }
}
