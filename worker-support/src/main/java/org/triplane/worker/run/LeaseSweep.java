package org.triplane.worker.run;

import java.util.List;
import org.jboss.logging.Logger;
import org.triplane.db.JobStore;
import org.triplane.db.ReclaimedTask;
import org.triplane.db.Scan;
import org.triplane.db.Task;
import org.triplane.db.TaskKind;
import org.triplane.db.Tx;
import org.triplane.events.ObjectKeys;
import org.triplane.worker.messaging.TaskEvents;

/**
 * The sweeper's pass, one transaction: tasks whose lease expired go back to PENDING with the next
 * attempt, or FAILED after the last one, and the outcome is published in the same transaction. A
 * requeued plane or TRAIN task gets its event again (the gpu-workers are event-driven); a task that
 * failed for good fails its job (and, for a per-scan task, the job's scan) with the reason.
 * Requeued preprocess and fusion tasks need nothing: their workers claim PENDING ones themselves.
 * Any number of workers may sweep at once.
 */
public final class LeaseSweep {
    private static final Logger LOG = Logger.getLogger(LeaseSweep.class);

    private final Tx tx;
    private final JobStore store = new JobStore();
    private final TaskEvents events = new TaskEvents();
    private final TaskLifecycle lifecycle;

    public LeaseSweep(Tx tx) {
        this.tx = tx;
        this.lifecycle = new TaskLifecycle(tx);
    }

    /**
     * @param actor the sweeper's identity in the transition log
     * @param limit most tasks handled in one pass
     * @return the tasks taken back
     */
    public List<ReclaimedTask> sweep(String actor, int limit) {
        return tx.run(c -> {
            List<ReclaimedTask> reclaimed = store.reclaimExpiredLeases(c, actor, limit);
            for (ReclaimedTask r : reclaimed) {
                Task t = r.task();
                if (!r.requeued()) {
                    lifecycle.failJob(c, t.jobId(), t.scanId(), failureReason(t), actor);
                } else if (t.kind() == TaskKind.PLANE) {
                    Scan scan = store.findScan(c, t.scanId()).orElseThrow();
                    events.appendPlaneTask(c, t, ObjectKeys.preprocessed(t.tenantId(), t.scanId()), scan.geometry(),
                            scan.window(), store.findScanRegistration(c, t.scanId()).orElse(null));
                } else if (t.kind() == TaskKind.TRAIN) {
                    events.appendTrainTask(c, t);
                }
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

    /**
     * The job's failure reason for a task that failed for good. A TRAIN task belongs to no scan, so
     * its reason names the plane's network and the task instead.
     */
    static String failureReason(Task failed) {
        if (failed.kind() == TaskKind.TRAIN) {
            String fold = failed.fold() == null ? "" : " for fold " + failed.fold();
            return "training of the " + failed.plane() + " network" + fold + " (task " + failed.id() + ") failed: "
                    + failed.error();
        }
        return failed.error();
    }
}
