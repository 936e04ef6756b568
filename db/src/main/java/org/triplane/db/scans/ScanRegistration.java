package org.triplane.db.scans;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.triplane.db.Rows;

/**
 * A row of {@code scan_registrations}: the atlas fitted to one scan as acquired. Points LPS, mm.
 *
 * @param tenantId               owning tenant
 * @param scanId                 the scan
 * @param method                 how it was computed, e.g. {@link #ATLAS_AFFINE_NCC}
 * @param quality                final normalised cross-correlation inside the head, −1..1
 * @param scanToAtlasParameters  ITK parameters of the map scan point → atlas point: matrix row-major (9), then
 *                               translation (3, mm)
 * @param scanToAtlasCentreMm    its ITK centre (FixedParameters), mm
 * @param rotatedToAtlas         the map from the rotated (preprocessed) scan's points to atlas points,
 *                               {@code scanToAtlas ∘ transform}: matrix row-major (9), then offset (3, mm),
 *                               {@code x_atlas = M·p + offset}
 * @param seconds                wall time of the registration
 * @param registeredAt           when the row was written, {@code null} before it is stored
 * @param atlasWarp              the deformable stage: a displacement of atlas space after the affine map, in
 *                               the imaging module's {@code DisplacementField.toArray()} form; {@code null} when
 *                               the registration stopped at the affine map
 * @param warpSeconds            wall time of the deformable stage, {@code null} without one
 */
public record ScanRegistration(UUID tenantId, UUID scanId, String method, double quality,
                               List<Double> scanToAtlasParameters, List<Double> scanToAtlasCentreMm,
                               List<Double> rotatedToAtlas, double seconds, Instant registeredAt,
                               List<Double> atlasWarp, Double warpSeconds) {

    /** A registration that stopped at the affine map. */
    public ScanRegistration(UUID tenantId, UUID scanId, String method, double quality,
                            List<Double> scanToAtlasParameters, List<Double> scanToAtlasCentreMm,
                            List<Double> rotatedToAtlas, double seconds, Instant registeredAt) {
        this(tenantId, scanId, method, quality, scanToAtlasParameters, scanToAtlasCentreMm, rotatedToAtlas, seconds,
                registeredAt, null, null);
    }

    /** The imaging core's {@code AtlasRegistration}: rigid, then affine, normalised cross-correlation. */
    public static final String ATLAS_AFFINE_NCC = "atlas-affine-ncc";

    /** Validates sizes and ranges, naming the field that is wrong. */
    public ScanRegistration {
        if (tenantId == null || scanId == null) {
            throw new IllegalArgumentException("tenantId and scanId: required");
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method: required");
        }
        if (!(quality >= -1 && quality <= 1)) {
            throw new IllegalArgumentException("quality: must be within -1..1, got " + quality);
        }
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds: must be >= 0, got " + seconds);
        }
        scanToAtlasParameters = finite("scanToAtlasParameters", scanToAtlasParameters, 12);
        scanToAtlasCentreMm = finite("scanToAtlasCentreMm", scanToAtlasCentreMm, 3);
        rotatedToAtlas = finite("rotatedToAtlas", rotatedToAtlas, 12);
        if (atlasWarp != null) {
            atlasWarp = List.copyOf(atlasWarp);
            if (atlasWarp.size() < 7 + 3 * 8 || atlasWarp.stream().anyMatch(v -> v == null || v.isNaN() || v.isInfinite())) {
                throw new IllegalArgumentException("atlasWarp: needs at least " + (7 + 3 * 8) + " finite numbers, got "
                        + atlasWarp.size());
            }
        }
        if ((atlasWarp == null) != (warpSeconds == null) || (warpSeconds != null && !(warpSeconds >= 0))) {
            throw new IllegalArgumentException("warpSeconds: required, and >= 0, exactly when atlasWarp is given");
        }
    }

    /** Whether the registration went on past the affine map. */
    public boolean deformable() {
        return atlasWarp != null;
    }

    private static List<Double> finite(String field, List<Double> values, int size) {
        List<Double> out = Rows.fixedSize(field, values, size);
        if (out.stream().anyMatch(v -> v.isNaN() || v.isInfinite())) {
            throw new IllegalArgumentException(field + ": values must be finite, got " + out);
        }
        return out;
    }
}
