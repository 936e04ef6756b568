package org.triplane.db.jobs;

import java.util.Set;
import org.triplane.db.LifecycleState;

/**
 * Lifecycle of a job.
 *
 * <pre>
 * SUBMITTED ──▶ RUNNING ──▶ SUCCEEDED
 *     │            ├──────▶ FAILED
 *     ├──▶ FAILED  └──────▶ CANCELLED
 *     └──▶ CANCELLED
 * </pre>
 * SUBMITTED may fail directly when its input is refused before any work starts.
 */
public enum JobState implements LifecycleState<JobState> {
    /** Accepted and recorded; no work started yet. */
    SUBMITTED,
    /** At least one task has started. */
    RUNNING,
    /** Every scan finished and the results are recorded. Terminal. */
    SUCCEEDED,
    /** Gave up; {@code error} says why in words a person can act on. Terminal. */
    FAILED,
    /** Stopped on request. Terminal. */
    CANCELLED;

    @Override
    public Set<JobState> successors() {
        return switch (this) {
            case SUBMITTED -> Set.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> Set.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> Set.of();
        };
    }
}
