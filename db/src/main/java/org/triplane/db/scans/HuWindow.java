package org.triplane.db.scans;

/**
 * An intensity window in Hounsfield units; values outside are clamped to it before scaling.
 *
 * @param lowHu  lower bound, HU
 * @param highHu upper bound, HU; greater than {@code lowHu}
 */
public record HuWindow(double lowHu, double highHu) {

    /** The study's window, which keeps brain tissue and fits one byte per voxel. */
    public static final HuWindow BRAIN = new HuWindow(-124, 130);

    /** Validates the order of the bounds. */
    public HuWindow {
        if (!(lowHu < highHu)) {
            throw new IllegalArgumentException("window: lowHu " + lowHu + " must be below highHu " + highHu);
        }
    }
}
