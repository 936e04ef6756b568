package org.triplane.db.jobs;

import java.util.Set;
import org.triplane.db.LifecycleState;

/**
 * Progress of one scan within a job: PENDING → RUNNING → SUCCEEDED | FAILED, and CANCELLED from
 * either non-terminal state. A scan may fail before it runs (input refused), which fails only
 * that scan, not the others of the job.
 */
public enum JobScanState implements LifecycleState<JobScanState> {
    /** Not started. */
    PENDING,
    /** Some task of this scan has started. */
    RUNNING,
    /** Result recorded. Terminal. */
    SUCCEEDED,
    /** Gave up; the row's {@code error} says why. Terminal. */
    FAILED,
    /** Stopped with its job. Terminal. */
    CANCELLED;

    @Override
    public Set<JobScanState> successors() {
        return switch (this) {
            case PENDING -> Set.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> Set.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> Set.of();
        };
    }
}
