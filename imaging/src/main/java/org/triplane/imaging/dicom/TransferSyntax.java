package org.triplane.imaging.dicom;

import java.util.Map;
import java.util.Optional;

/**
 * The transfer syntaxes a slice may be stored in: the two uncompressed little-endian ones are read;
 * every other one is refused by its name (compressed pixel data would need a codec, and big-endian
 * was retired from the standard in 2004).
 */
enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true);

    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
            Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.4.50", "JPEG Baseline"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, first-order prediction"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Lossless"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    private final String uid;
    private final boolean explicitVr;

    TransferSyntax(String uid, boolean explicitVr) {
        this.uid = uid;
        this.explicitVr = explicitVr;
    }

    boolean explicitVr() {
        return explicitVr;
    }

    String uid() {
        return uid;
    }

    /** The syntax of this UID, or empty when it is not one this reader decodes. */
    static Optional<TransferSyntax> of(String uid) {
        for (TransferSyntax t : values()) {
            if (t.uid.equals(uid)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Why a UID is refused, with the syntax's name when it is a known one. */
    static String refusal(String uid) {
        String name = REFUSED.get(uid);
        String what = name != null ? "transfer syntax " + name + " (" + uid + ")"
                : uid.startsWith("1.2.840.10008.1.2.4.") ? "transfer syntax " + uid + " (a compressed one)"
                : "transfer syntax " + uid;
        return what + " is not read: only uncompressed Implicit and Explicit VR Little Endian are; "
                + "export the series uncompressed (e.g. dcmtk's `dcmconv +te`, or the PACS's uncompressed export)";
    }
}
