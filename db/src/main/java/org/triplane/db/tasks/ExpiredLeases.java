package org.triplane.db.tasks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes tasks back from workers that stopped heartbeating (crashed, killed, partitioned): an
 * expired RUNNING task returns to PENDING with the next attempt number, or FAILED once its
 * attempts are used up. Each change goes through the ordinary compare-and-set transition, so it
 * is logged, and a late worker's completion is refused by the version check.
 */
public final class ExpiredLeases {

    private ExpiredLeases() {
    }

    /**
     * The sweeper: expired RUNNING tasks go back to PENDING with the next attempt, or to FAILED
     * once their attempts are used up, each with a log row. Callers publish the outcome (new
     * task event, or job failure) through the outbox in the same transaction.
     *
     * @param c     transaction (role {@link Roles#WORKER})
     * @param actor the sweeper's identity
     * @param limit most tasks handled in this call
     * @return the reclaimed tasks
     * @throws SQLException on database errors
     */
    public static List<ReclaimedTask> reclaim(Connection c, String actor, int limit) throws SQLException {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit: must be positive, got " + limit);
        }
        List<ReclaimedTask> out = new ArrayList<>();
        for (Task expired : Tasks.lockExpired(c, limit)) {
            String lastSeen = "worker " + expired.worker() + ", lease until " + expired.leaseUntil()
                    + ", last heartbeat " + expired.heartbeatAt();
            Task after;
            if (expired.attempt() < expired.maxAttempts()) {
                after = Tasks.transition(c, expired, TaskState.PENDING, actor,
                        "lease expired on attempt " + expired.attempt() + " of " + expired.maxAttempts()
                                + " (" + lastSeen + "); requeued");
            } else {
                after = Tasks.transition(c, expired, TaskState.FAILED, actor,
                        "lease expired on the last attempt " + expired.attempt() + " of " + expired.maxAttempts()
                                + " (" + lastSeen + "); the worker stopped responding each time");
            }
            out.add(new ReclaimedTask(after, expired.worker()));
        }
        return out;
    }
}
