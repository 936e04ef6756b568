package org.triplane.gateway.rest;

import java.time.Instant;
import java.util.UUID;
import org.triplane.db.HuWindow;
import org.triplane.db.Scan;
import org.triplane.db.ScanGeometry;
import org.triplane.db.ScanTransform;
import org.triplane.db.StoredObject;

/**
 * A stored scan as the API shows it.
 *
 * @param id        scan id
 * @param state     RECEIVED, PREPROCESSED or REJECTED
 * @param ct        CT object: key, SHA-256, size in bytes
 * @param transform transform file object
 * @param labels    label object, or {@code null}
 * @param geometry  CT grid: dims [nx, ny, nz] (x fastest), spacing mm, origin LPS mm, direction row-major LPS
 * @param rotation  transform parameters (M row-major, then t in mm), centre mm, Euler angles deg
 * @param window    HU window used by preprocessing
 * @param createdAt upload instant (UTC)
 */
public record ScanResponse(UUID id, String state, StoredObject ct, StoredObject transform, StoredObject labels,
                           ScanGeometry geometry, ScanTransform rotation, HuWindow window, Instant createdAt) {

    static ScanResponse of(Scan s) {
        return new ScanResponse(s.id(), s.state().name(), s.ct(), s.transformFile(), s.labels(), s.geometry(), s.transform(),
                s.window(), s.createdAt());
    }
}
