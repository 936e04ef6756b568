package org.triplane.db.scans;

import java.util.Arrays;

/** Where a scan's transform came from; stored lower-case ({@link #wireName()}) in {@code scans.transform_origin}. */
public enum TransformOrigin {
    /** The transform file was uploaded with the CT. */
    UPLOADED,
    /** The preprocess-worker derived it from the atlas registration (the rotation it found). */
    DERIVED;

    /** @return the column value and JSON name: {@code uploaded} or {@code derived} */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param value a column value
     * @return the origin
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static TransformOrigin fromWireName(String value) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("transform origin: expected uploaded or derived, got " + value));
    }
}
