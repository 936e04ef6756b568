package org.triplane.worker.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.DataAccessException;
import org.triplane.db.tasks.Task;
import org.triplane.objectstore.MissingObjectException;
import org.triplane.objectstore.ObjectStoreException;
import org.triplane.worker.messaging.DeadLetters;
import org.triplane.worker.storage.ScratchDir;

/**
 * Runs a claimed task's body under a heartbeated lease and turns every way it can end into an
 * outcome: poison input fails the task and its job and records a dead letter, in one transaction
 * ({@link DeadLetters}); transient failures that outlasted the retries hand the task back; a lost
 * lease publishes nothing.
 */
public final class TaskGuard {
    private static final Logger LOG = Logger.getLogger(TaskGuard.class);

    /** The task's work in a scratch directory of its own; runs with the lease held. */
    @FunctionalInterface
    public interface ScratchBody {
        RunOutcome run(Task task, ScratchDir work, LeaseKeeper lease) throws IOException;
    }

    private final TaskLifecycle lifecycle;
    private final DeadLetters deadLetters;
    private final int leaseSeconds;
    private final Duration heartbeat;

    public TaskGuard(TaskLifecycle lifecycle, DeadLetters deadLetters, Duration lease, Duration heartbeat) {
        this.lifecycle = lifecycle;
        this.deadLetters = deadLetters;
        this.leaseSeconds = (int) Math.max(1, lease.toSeconds());
        this.heartbeat = heartbeat;
    }

    /** Lease length in whole seconds, as the task table takes it. */
    public int leaseSeconds() {
        return leaseSeconds;
    }

    /**
     * Leases the named task to {@code worker} for this guard's lease; empty when it is not PENDING
     * (done, failed or held by another worker).
     */
    public Optional<Task> claim(UUID taskId, String worker) {
        return lifecycle.claim(taskId, worker, leaseSeconds);
    }

    /**
     * Runs the body with what every worker's task needs first: the test-only pause after the claim
     * ({@link TestPause}), then a scratch directory named {@code KIND-TASKID} that is deleted however
     * the body ends.
     *
     * @param task            a task this worker has just claimed (RUNNING, its lease)
     * @param kind            the scratch directory's prefix, the kind of task ({@code plane}, {@code fusion}, …)
     * @param pauseAfterClaim the test-only pause; zero in production
     * @return how the run ended; never throws for poison or transient failures
     */
    public RunOutcome runInScratch(Task task, String kind, Duration pauseAfterClaim, ScratchBody body) {
        try (LeaseKeeper lease = new LeaseKeeper(lifecycle, task, leaseSeconds, heartbeat)) {
            TestPause.after(pauseAfterClaim);
            try (ScratchDir work = ScratchDir.create(kind + "-" + task.id())) {
                return body.run(task, work, lease);
            }
        } catch (PoisonInputException | MissingObjectException e) {
            // why one clause: both messages are the reason written for a person (PoisonInputException.reason())
            return poison(task, e.getMessage());
        } catch (TransientException | DataAccessException | ObjectStoreException e) {
            LOG.warnf("task %s: giving it back after retries: %s", task.id(), e.getMessage());
            return handBack(task, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return handBack(task, "local disk: " + e.getMessage());
        } catch (RuntimeException e) {
            // why: an unexpected error may pass on another attempt; max_attempts bounds the retries
            LOG.errorf(e, "task %s: unexpected failure", task.id());
            return handBack(task, "unexpected failure: " + e);
        }
    }

    private RunOutcome poison(Task task, String reason) {
        try {
            deadLetters.failTask(task, reason);
        } catch (RuntimeException e) {
            // why: the database is down past the retries; the lease expires, and the redone task meets the same input
            LOG.warnf("task %s: poison input, but its failure could not be recorded, the lease will expire: %s (%s)",
                    task.id(), reason, e.getMessage());
            return RunOutcome.HANDED_BACK;
        }
        return RunOutcome.FAILED;
    }

    private RunOutcome handBack(Task task, String reason) {
        try {
            lifecycle.handBack(task, "transient failure, handed back: " + reason);
        } catch (RuntimeException e) {
            // why: the database is down too; the lease expires and the sweeper requeues the task
            LOG.warnf("task %s: hand-back failed, the lease will expire: %s", task.id(), e.getMessage());
        }
        return RunOutcome.HANDED_BACK;
    }
}
