package org.triplane.events;

import java.util.Locale;

/** The slicing planes as they travel in events (lower-case names on the wire). */
public enum Plane {
    AXIAL, CORONAL, SAGITTAL;

    /** Wire name, e.g. {@code axial}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Plane fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
