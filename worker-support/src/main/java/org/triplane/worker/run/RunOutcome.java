package org.triplane.worker.run;

/** How one run of a task ended. */
public enum RunOutcome {
    /** Output stored, follow-up recorded, task SUCCEEDED. */
    SUCCEEDED,
    /** Poison input: task and job FAILED with the reason, dead letter published. */
    FAILED,
    /** Transient failures outlasted the retries: the task went back to the queue. */
    HANDED_BACK,
    /** The lease was lost (reclaimed by the sweeper): nothing published, another worker redoes it. */
    LEASE_LOST
}
