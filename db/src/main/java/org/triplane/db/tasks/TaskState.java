package org.triplane.db.tasks;

import java.util.Set;
import org.triplane.db.LifecycleState;

/**
 * Lifecycle of a task.
 *
 * <pre>
 * PENDING ──claim──▶ RUNNING ──▶ SUCCEEDED
 *    ▲                  ├──────▶ FAILED
 *    └──lease expired───┤
 *    │                  └──────▶ CANCELLED
 *    └──▶ CANCELLED
 * </pre>
 * RUNNING → PENDING is a requeue (lease expired or the worker handed it back) and raises the
 * attempt counter.
 */
public enum TaskState implements LifecycleState<TaskState> {
    /** Waiting for a worker. */
    PENDING,
    /** Leased by a worker that must heartbeat before the lease expires. */
    RUNNING,
    /** Done; its outputs are stored. Terminal. */
    SUCCEEDED,
    /** Gave up after an error or too many attempts. Terminal. */
    FAILED,
    /** No longer wanted (its job ended). Terminal. */
    CANCELLED;

    @Override
    public Set<TaskState> successors() {
        return switch (this) {
            case PENDING -> Set.of(RUNNING, CANCELLED);
            case RUNNING -> Set.of(SUCCEEDED, FAILED, PENDING, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> Set.of();
        };
    }
}
