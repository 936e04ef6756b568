package org.triplane.db.results;

import java.util.Locale;

/**
 * What a row of per-class metrics was computed on: one plane's prediction, the atlas method's or
 * the fused one. Declared in the order tables list them. Not a slicing plane (that is
 * {@link org.triplane.imaging.plane.Plane}): two of its values are not planes at all. Rows store
 * {@link #name()} ({@code FUSED}); result documents and the API's filters name a prediction by
 * {@link #wireName()} ({@code fused}, {@code axial}: a plane's own wire name), and
 * {@link #fromWireName(String)} is the one way back.
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
    FUSED;

    /** The prediction's name in result documents (the keys of an evaluation's predictions), e.g. {@code fused}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a {@link #wireName()}, any case
     * @return its prediction
     * @throws IllegalArgumentException naming the names there are, for any other
     */
    public static MetricPlane fromWireName(String name) {
        for (MetricPlane p : values()) {
            if (p.wireName().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown prediction '" + name + "': axial, coronal, sagittal, atlas or fused");
    }
}
