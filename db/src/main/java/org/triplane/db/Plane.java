package org.triplane.db;

/** Anatomical slicing plane, chosen from the scan's direction cosines, never from array order. */
public enum Plane {
    /** Slices perpendicular to the superior–inferior axis (the study's XY). */
    AXIAL,
    /** Slices perpendicular to the anterior–posterior axis (XZ). */
    CORONAL,
    /** Slices perpendicular to the left–right axis (YZ). */
    SAGITTAL
}
