package org.triplane.worker.run;

import java.util.List;
import org.jboss.logging.Logger;
import org.triplane.db.Tx;
import org.triplane.db.tasks.ExpiredLeases;
import org.triplane.db.tasks.ReclaimedTask;
import org.triplane.worker.pipeline.JobFlow;

/**
 * The sweeper's pass, one transaction: tasks whose lease expired go back to PENDING with the next
 * attempt, or FAILED after the last one, and what follows ({@link JobFlow#reclaimed}) is written in
 * the same transaction. Any number of workers may sweep at once.
 */
public final class LeaseSweep {
    private static final Logger LOG = Logger.getLogger(LeaseSweep.class);

    private final Tx tx;
    private final JobFlow flow = new JobFlow();

    public LeaseSweep(Tx tx) {
        this.tx = tx;
    }

    /**
     * @param actor the sweeper's identity in the transition log
     * @param limit most tasks handled in one pass
     * @return the tasks taken back
     */
    public List<ReclaimedTask> sweep(String actor, int limit) {
        return tx.run(c -> {
            List<ReclaimedTask> reclaimed = ExpiredLeases.reclaim(c, actor, limit);
            for (ReclaimedTask r : reclaimed) {
                flow.reclaimed(c, r, actor);
            }
            return reclaimed;
        });
    }

    /** {@link #sweep}, with one log line per task taken back. */
    public List<ReclaimedTask> sweepAndLog(String actor, int limit) {
        List<ReclaimedTask> reclaimed = sweep(actor, limit);
        for (ReclaimedTask r : reclaimed) {
            LOG.infof("reclaimed %s task %s from %s: %s", r.task().kind(), r.task().id(), r.previousWorker(), r.task().state());
        }
        return reclaimed;
    }
}
