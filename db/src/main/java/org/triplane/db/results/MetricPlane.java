package org.triplane.db.results;

/**
 * What a row of per-class metrics was computed on: one plane's prediction, the atlas method's or
 * the fused one. Declared in the order tables list them. Not a slicing plane (that is
 * {@link org.triplane.imaging.plane.Plane}): two of its values are not planes at all.
 */
public enum MetricPlane {
    /** The axial network's prediction. */
    AXIAL,
    /** The coronal network's prediction. */
    CORONAL,
    /** The sagittal network's prediction. */
    SAGITTAL,
    /** The atlas method: the atlas's labels carried onto the scan by its registration, no network. */
    ATLAS,
    /** The voted combination of the three planes (and the atlas method when the job asks for it as a voter). */
    FUSED
}
