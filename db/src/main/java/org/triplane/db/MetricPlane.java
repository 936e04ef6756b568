package org.triplane.db;

/** What a row of per-class metrics was computed on: one plane's prediction or the fused one. */
public enum MetricPlane {
    /** The axial network's prediction. */
    AXIAL,
    /** The coronal network's prediction. */
    CORONAL,
    /** The sagittal network's prediction. */
    SAGITTAL,
    /** The voted combination of the three. */
    FUSED
}
