package org.triplane.db.jobs;

/** What a job asks for. */
public enum JobKind {
    /** Segment scans with a model set. */
    SEGMENT,
    /** Segment labelled scans and compute per-class metrics against their labels. */
    EVALUATE,
    /** Train a new model set on labelled scans. */
    TRAIN
}
