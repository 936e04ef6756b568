package org.triplane.worker.run;

/** How one run of a task ended. */
public enum RunOutcome {
    /** Output stored, follow-up recorded, task SUCCEEDED. */
    SUCCEEDED,
    /** Poison input: task and job FAILED with the reason and its dead letter recorded, in one transaction. */
    FAILED,
    /**
     * Transient failures outlasted the retries: the task went back to the queue, or, with the
     * database down too, its lease is left to expire.
     */
    HANDED_BACK,
    /** The lease was lost (reclaimed by the sweeper): nothing published, another worker redoes it. */
    LEASE_LOST
}
