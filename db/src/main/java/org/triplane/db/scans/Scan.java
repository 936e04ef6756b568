package org.triplane.db.scans;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code scans}: one uploaded CT study and everything that its preprocessing depends on.
 *
 * @param id            scan id
 * @param tenantId      owning tenant
 * @param state         what is known about the input
 * @param ct            the CT volume object
 * @param transformFile the ITK transform file object, {@code null} when the scan has none
 * @param labels        the label volume object (0..20), {@code null} when unlabelled
 * @param geometry      the CT's grid (LPS, mm)
 * @param transform     the parsed transform, {@code null} when the scan has none
 * @param transformOrigin whether the transform was uploaded or derived from the atlas registration,
 *                      {@code null} exactly when the scan has none (yet)
 * @param window        the HU window applied in preprocessing
 * @param createdAt     instant of upload
 * @param upload        the checksums of the parts as uploaded and whether the objects were de-identified
 */
public record Scan(
        UUID id,
        UUID tenantId,
        ScanState state,
        StoredObject ct,
        StoredObject transformFile,
        StoredObject labels,
        ScanGeometry geometry,
        ScanTransform transform,
        TransformOrigin transformOrigin,
        HuWindow window,
        Instant createdAt,
        ScanUpload upload) {
}
