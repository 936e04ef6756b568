package org.triplane.preprocess.service;

/** How one run of a preprocess task ended. */
public enum RunOutcome {
    /** Volume stored, plane tasks created, task SUCCEEDED. */
    SUCCEEDED,
    /** Poison input: task, scan and job FAILED, dead letter published. */
    FAILED,
    /** Transient failures outlasted the retries: the task went back to the queue. */
    HANDED_BACK,
    /** The lease was lost (reclaimed by the sweeper): nothing published, another worker redoes it. */
    LEASE_LOST
}
