package org.triplane.db.tasks;

import java.util.UUID;
import org.triplane.db.jobs.Job;
import org.triplane.imaging.plane.Plane;

/**
 * A task to create.
 *
 * @param tenantId    owning tenant (the job's)
 * @param jobId       the job
 * @param scanId      the scan, {@code null} only for {@link TaskKind#TRAIN}
 * @param kind        which worker it is for
 * @param plane       the plane, required for {@link TaskKind#PLANE}, optional for TRAIN, else {@code null}
 * @param maxAttempts runs allowed before an expired lease fails it, at least 1
 * @param fold        the cross-validation fold 1..k of a k-fold job's TRAIN task, else {@code null}
 */
public record NewTask(UUID tenantId, UUID jobId, UUID scanId, TaskKind kind, Plane plane, int maxAttempts,
                      Integer fold) {

    /** Attempts allowed when the caller does not say. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** Validates the combination of kind, scan and plane, naming the field that is wrong. */
    public NewTask {
        if (tenantId == null) {
            throw new IllegalArgumentException("tenantId: required");
        }
        if (jobId == null) {
            throw new IllegalArgumentException("jobId: required");
        }
        if (kind == null) {
            throw new IllegalArgumentException("kind: required");
        }
        if (scanId == null && kind != TaskKind.TRAIN) {
            throw new IllegalArgumentException("scanId: required for " + kind);
        }
        if (kind == TaskKind.PLANE && plane == null) {
            throw new IllegalArgumentException("plane: required for PLANE");
        }
        if ((kind == TaskKind.PREPROCESS || kind == TaskKind.FUSION) && plane != null) {
            throw new IllegalArgumentException("plane: must be absent for " + kind);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: must be at least 1, got " + maxAttempts);
        }
        if (fold != null && kind != TaskKind.TRAIN) {
            throw new IllegalArgumentException("fold: must be absent for " + kind + "; only TRAIN tasks are split into folds");
        }
        if (fold != null && fold < 1) {
            throw new IllegalArgumentException("fold: folds are numbered from 1, got " + fold);
        }
    }

    /** A task without a fold. */
    public NewTask(UUID tenantId, UUID jobId, UUID scanId, TaskKind kind, Plane plane, int maxAttempts) {
        this(tenantId, jobId, scanId, kind, plane, maxAttempts, null);
    }

    /**
     * @param job    the job
     * @param scanId the scan
     * @param kind   PREPROCESS or FUSION
     * @return a per-scan task with {@link #DEFAULT_MAX_ATTEMPTS}
     */
    public static NewTask forScan(Job job, UUID scanId, TaskKind kind) {
        return new NewTask(job.tenantId(), job.id(), scanId, kind, null, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @param job    the job
     * @param scanId the scan
     * @param plane  the plane
     * @return a PLANE task with {@link #DEFAULT_MAX_ATTEMPTS}
     */
    public static NewTask forPlane(Job job, UUID scanId, Plane plane) {
        return new NewTask(job.tenantId(), job.id(), scanId, TaskKind.PLANE, plane, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @param job   a TRAIN job
     * @param plane the plane whose network the task trains
     * @return a job-wide TRAIN task (no scan) with {@link #DEFAULT_MAX_ATTEMPTS}
     */
    public static NewTask forTraining(Job job, Plane plane) {
        return new NewTask(job.tenantId(), job.id(), null, TaskKind.TRAIN, plane, DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * @param job   a k-fold TRAIN job
     * @param plane the plane whose network the task trains
     * @param fold  the fold, 1..k: the task validates on that fold's scans and trains on the others
     * @return a job-wide TRAIN task of one fold (no scan) with {@link #DEFAULT_MAX_ATTEMPTS}
     */
    public static NewTask forTrainingFold(Job job, Plane plane, int fold) {
        return new NewTask(job.tenantId(), job.id(), null, TaskKind.TRAIN, plane, DEFAULT_MAX_ATTEMPTS, fold);
    }
}
