package org.triplane.worker.run;

/**
 * Input that can never be processed (bad NIfTI, checksum mismatch, bad transform, missing file):
 * retrying is pointless, the job fails with {@link #reason()}, which is written for a person.
 */
public class PoisonInputException extends RuntimeException {
    public PoisonInputException(String reason) {
        super(reason);
    }

    public PoisonInputException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** What is wrong with the input and what to do about it. */
    public String reason() {
        return getMessage();
    }
}
