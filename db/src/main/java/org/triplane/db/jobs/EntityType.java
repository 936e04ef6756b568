package org.triplane.db.jobs;

/** Kinds of rows whose state changes are written to the transition log. */
public enum EntityType {
    /** A row of {@code jobs}. */
    JOB,
    /** A row of {@code job_scans}. */
    JOB_SCAN,
    /** A row of {@code tasks}. */
    TASK
}
