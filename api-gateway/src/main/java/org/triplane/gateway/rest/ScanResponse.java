package org.triplane.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanTransform;
import org.triplane.db.scans.ScanUpload;
import org.triplane.db.scans.StoredObject;

/**
 * A stored scan as the API shows it.
 *
 * @param id        scan id
 * @param state     RECEIVED, PREPROCESSED or REJECTED
 * @param ct        CT object: key, SHA-256, size in bytes (of the stored bytes; see {@code upload} for the
 *                  checksum of the part as uploaded)
 * @param transform transform file object (uploaded, or derived by the preprocess-worker), {@code null} while
 *                  the scan has none
 * @param labels    label object, or {@code null}
 * @param geometry  CT grid: dims [nx, ny, nz] (x fastest), spacing mm, origin LPS mm, direction row-major LPS
 * @param rotation  transform parameters (M row-major, then t in mm), centre mm, Euler angles deg
 * @param window    HU window used by preprocessing
 * @param createdAt upload instant (UTC)
 * @param transformOrigin {@code uploaded} (came with the CT), {@code derived} (from the atlas registration)
 *                  or {@code null} while the scan has no transform
 * @param registration the scan's atlas registration once preprocessed; {@code null} before that and in lists
 * @param upload    {@code ctSha256} and {@code labelsSha256}: SHA-256 of the NIfTI parts as uploaded ({@code null}
 *                  without labels, and for scans stored before they were recorded); {@code deidentified}: whether
 *                  the stored CT and labels are de-identified copies of them (free-text header fields and
 *                  extensions removed, voxels and geometry unchanged) or the parts as uploaded
 */
public record ScanResponse(UUID id, String state, StoredObject ct, StoredObject transform, StoredObject labels,
                           ScanGeometry geometry, ScanTransform rotation, HuWindow window, Instant createdAt,
                           String transformOrigin, RegistrationView registration, ScanUpload upload) {

    /**
     * The atlas registration of a scan as acquired. Maps in LPS mm.
     *
     * @param method                e.g. {@code atlas-affine-ncc}
     * @param quality               normalised cross-correlation inside the head, −1..1
     * @param scanToAtlasParameters scan point → atlas point: ITK parameters, matrix row-major then translation (mm)
     * @param scanToAtlasCentreMm   its ITK centre, mm
     * @param rotatedToAtlas        rotated (preprocessed) scan point → atlas point: matrix row-major then offset (mm)
     * @param seconds               wall time of the registration
     * @param registeredAt          when it was recorded (UTC)
     */
    public record RegistrationView(String method, double quality, List<Double> scanToAtlasParameters,
                                   List<Double> scanToAtlasCentreMm, List<Double> rotatedToAtlas, double seconds,
                                   Instant registeredAt) {
        static RegistrationView of(ScanRegistration r) {
            return r == null ? null : new RegistrationView(r.method(), r.quality(), r.scanToAtlasParameters(),
                    r.scanToAtlasCentreMm(), r.rotatedToAtlas(), r.seconds(), r.registeredAt());
        }
    }

    static ScanResponse of(Scan s) {
        return of(s, null);
    }

    static ScanResponse of(Scan s, ScanRegistration registration) {
        return new ScanResponse(s.id(), s.state().name(), s.ct(), s.transformFile(), s.labels(), s.geometry(), s.transform(),
                s.window(), s.createdAt(), s.transformOrigin() == null ? null : s.transformOrigin().wireName(),
                RegistrationView.of(registration), s.upload());
    }
}
