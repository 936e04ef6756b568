/**
 * Jobs: idempotent submission, reading, locking and listing jobs and their scans, the job and job-scan
 * state machines ({@link org.triplane.db.jobs.JobState}, {@link org.triplane.db.jobs.JobScanState}) with
 * compare-and-set transitions ({@link org.triplane.db.jobs.Jobs}), and the append-only transition log
 * that every state change of a job, job scan or task writes to ({@link org.triplane.db.jobs.TransitionLog}).
 *
 * <p>Depends on the root package only.
 */
package org.triplane.db.jobs;
