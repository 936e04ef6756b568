package org.triplane.gateway.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;

/**
 * Cancels a job in one transaction: the job becomes CANCELLED, its PENDING and RUNNING tasks and
 * its unfinished scans CANCELLED, each change in the transition log with the caller as actor. No
 * worker claims a CANCELLED task; a worker running one loses it at its next heartbeat or
 * compare-and-set (both require the task to be RUNNING at the version it holds), and the pipeline
 * takes no further step for an ended job.
 */
final class JobCancellation {

    /** Tries per task when a worker changes it between our read and our update. */
    private static final int TRIES = 5;

    /**
     * @param c     the tenant's transaction
     * @param jobId the job
     * @param actor who cancels
     * @return the job, cancelled by this call or before; empty when absent or another tenant's
     * @throws RequestRejected 409 naming {@code id} when the job already SUCCEEDED or FAILED
     */
    Optional<Job> cancel(Connection c, UUID jobId, String actor) throws SQLException {
        // why lock: a worker moving the job (SUBMITTED to RUNNING, or to its end) waits for this transaction and
        // then fails its compare-and-set instead of overwriting the cancellation
        Optional<Job> locked = Jobs.lock(c, jobId);
        if (locked.isEmpty() || locked.get().state() == JobState.CANCELLED) {
            return locked;
        }
        Job job = locked.get();
        if (job.state().isTerminal()) {
            throw new RequestRejected(409, "id", "job " + jobId + " has " + job.state() + ": only a SUBMITTED or RUNNING "
                    + "job can be cancelled");
        }
        String reason = "cancelled by " + actor;
        for (Task task : Tasks.forJob(c, jobId)) {
            cancel(c, task, actor, reason);
        }
        for (JobScan scan : Jobs.scans(c, jobId)) {
            if (!scan.state().isTerminal()) {
                Jobs.transitionScan(c, scan, JobScanState.CANCELLED, actor, reason);
            }
        }
        return Optional.of(Jobs.transition(c, job, JobState.CANCELLED, actor, reason));
    }

    private void cancel(Connection c, Task task, String actor, String reason) throws SQLException {
        Task current = task;
        for (int i = 1; ; i++) {
            if (current.state().isTerminal()) {
                return;
            }
            try {
                Tasks.transition(c, current, TaskState.CANCELLED, actor, reason);
                return;
            } catch (OptimisticLockException e) {
                // why: a worker claimed, requeued or recorded a run of it meanwhile; cancel what it is now
                if (i == TRIES) {
                    throw e;
                }
                UUID id = current.id();
                current = Tasks.find(c, id).orElseThrow(() -> new NoSuchElementException("task " + id + " vanished"));
            }
        }
    }
}
