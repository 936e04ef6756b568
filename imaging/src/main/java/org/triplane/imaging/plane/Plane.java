package org.triplane.imaging.plane;

import java.util.Locale;

/**
 * The three anatomical slicing planes. Each is defined by the LPS axis normal to its slices, and
 * its slices are laid out the same way whatever the scan's array order:
 *
 * <table>
 *   <caption>slice layout (row-major, width fastest)</caption>
 *   <tr><th>plane</th><th>slices step toward</th><th>height (rows) step toward</th><th>width (columns) step toward</th></tr>
 *   <tr><td>AXIAL</td><td>superior</td><td>posterior</td><td>patient left</td></tr>
 *   <tr><td>CORONAL</td><td>posterior</td><td>inferior</td><td>patient left</td></tr>
 *   <tr><td>SAGITTAL</td><td>patient left</td><td>inferior</td><td>posterior</td></tr>
 * </table>
 * LPS axes: 0 = x (toward patient left), 1 = y (toward posterior), 2 = z (toward superior).
 *
 * <p>The one plane type of the project: events, database rows, object keys and the networks all
 * name a plane with it. The database and event JSON store {@link #name()} ({@code AXIAL}); object
 * keys and messages use {@link #wireName()} ({@code axial}).
 */
public enum Plane {
    AXIAL(2, +1, 1, +1, 0, +1),
    CORONAL(1, +1, 2, -1, 0, +1),
    SAGITTAL(0, +1, 2, -1, 1, +1);

    final int sliceAxis;
    final int sliceSign;
    final int heightAxis;
    final int heightSign;
    final int widthAxis;
    final int widthSign;

    Plane(int sliceAxis, int sliceSign, int heightAxis, int heightSign, int widthAxis, int widthSign) {
        this.sliceAxis = sliceAxis;
        this.sliceSign = sliceSign;
        this.heightAxis = heightAxis;
        this.heightSign = heightSign;
        this.widthAxis = widthAxis;
        this.widthSign = widthSign;
    }

    /** Lower-case name used in object keys, task keys and messages, e.g. {@code axial}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The plane whose {@link #wireName()} (any case) is {@code name}. */
    public static Plane fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** LPS axis (0 = x, 1 = y, 2 = z) normal to this plane's slices. */
    public int normalAxis() {
        return sliceAxis;
    }
}
