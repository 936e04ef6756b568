package org.triplane.db.tasks;

/** Which worker a task is for. */
public enum TaskKind {
    /** Rotate, window and slice one scan (preprocess-worker). */
    PREPROCESS,
    /** Infer one plane of one scan (gpu-worker). */
    PLANE,
    /** Vote the planes of one scan and compute metrics (fusion-worker). */
    FUSION,
    /** Train a network (gpu-worker); per plane, not per scan. */
    TRAIN
}
