package org.triplane.worker.run;

import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.triplane.db.OptimisticLockException;
import org.triplane.db.Tx;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;

/**
 * The task-table steps every worker takes as {@code triplane_worker}: claim, heartbeat and hand
 * back, each one transaction, and the readiness probe. What a failed task does to its job is a
 * pipeline rule ({@link org.triplane.worker.pipeline.JobFlow#failed}), run in the transaction that
 * records the dead letter ({@link org.triplane.worker.messaging.DeadLetters}) or the sweep's.
 */
public final class TaskLifecycle implements LeaseKeeper.Heartbeat {
    private final Tx tx;

    public TaskLifecycle(Tx tx) {
        this.tx = tx;
    }

    /** Leases the named task; empty when it is not PENDING (done, failed or held by another worker). */
    public Optional<Task> claim(UUID taskId, String worker, int leaseSeconds) {
        return tx.run(c -> Tasks.claim(c, taskId, worker, leaseSeconds));
    }

    /** @return {@code false} once the lease is lost */
    @Override
    public boolean beat(Task task, int leaseSeconds) {
        return tx.run(c -> Tasks.heartbeat(c, task, leaseSeconds));
    }

    /** Gives a task back to the queue (transient failures outlasted the retries); the last attempt stays with the sweeper. */
    public void handBack(Task task, String reason) {
        tx.run(c -> {
            Task current = Tasks.find(c, task.id()).orElseThrow();
            if (current.state() == TaskState.RUNNING && current.version() == task.version()
                    && current.attempt() < current.maxAttempts()) {
                Tasks.transition(c, current, TaskState.PENDING, task.worker(), reason);
            }
            return null;
        });
    }

    /** @return whether the database answers (readiness) */
    public boolean reachable() {
        try {
            return tx.run(c -> {
                try (Statement st = c.createStatement()) {
                    st.setQueryTimeout(3);
                    return st.execute("SELECT 1");
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code work} again when another worker moved the same job row first. */
    public static <T> T retryOnConflict(Supplier<T> work) {
        // why: tasks of one job run in parallel on several workers and all move the same job row
        for (int i = 0; ; i++) {
            try {
                return work.get();
            } catch (OptimisticLockException e) {
                if (i >= 5) {
                    throw e;
                }
            }
        }
    }
}
