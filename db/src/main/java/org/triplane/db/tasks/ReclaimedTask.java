package org.triplane.db.tasks;

/**
 * A task the lease sweeper took back from a worker that stopped heartbeating.
 *
 * @param task           the task after reclaiming: PENDING with the next attempt, or FAILED
 * @param previousWorker the worker whose lease expired
 */
public record ReclaimedTask(Task task, String previousWorker) {

    /** @return whether the task was put back in the queue (else it failed for good) */
    public boolean requeued() {
        return task.state() == TaskState.PENDING;
    }
}
