package org.triplane.preprocess.service;

import java.util.Arrays;
import org.triplane.db.scans.TransformOrigin;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.DeformableRegistration;
import org.triplane.imaging.registration.RegistrationException;
import org.triplane.imaging.registration.RegistrationResult;
import org.triplane.imaging.volume.Volume;
import org.triplane.worker.run.PoisonInputException;

/**
 * Chooses a scan's rotation, free of any framework: the atlas is registered to the scan as
 * acquired in every case (its map to the atlas is needed downstream), and the rotation is the
 * scan's own transform when it has one (an uploaded transform wins), else the registration's
 * {@link RegistrationResult#standardOrientation()}. The deformable stage, when configured, follows
 * the affine registration (its displacement lives in atlas space, so it holds for the rotated scan too).
 *
 * <p>A registration the imaging core refuses fails the scan as poison input with its message
 * (scan, quality figure, reason), also when a transform was uploaded: a volume the head atlas
 * cannot be fitted to is not a head CT the networks can segment, whatever its transform says.
 */
public final class ScanAlignment {
    private final AtlasRegistration registration;
    private final DeformableRegistration deformable;

    /** Affine registration only. */
    public ScanAlignment(AtlasRegistration registration) {
        this(registration, null);
    }

    /**
     * @param deformable the deformable stage run after the affine one (the networks' atlas inputs may
     *                   follow it), or {@code null} for none
     */
    public ScanAlignment(AtlasRegistration registration, DeformableRegistration deformable) {
        this.registration = registration;
        this.deformable = deformable;
    }

    /**
     * What was chosen. All maps LPS mm, ITK convention (output point → input point).
     *
     * @param rotation     the scan's rotation onto its own grid (a proper rotation)
     * @param origin       whether {@code rotation} is the scan's own transform or derived here
     * @param registration the atlas registration of the scan as acquired
     * @param warp         its deformable stage, or {@code null} when none was run
     */
    public record Alignment(AffineTransform rotation, TransformOrigin origin, RegistrationResult registration,
                            DeformableRegistration.Outcome warp) {

        /**
         * @return rotated-scan point → atlas point, {@code scanToAtlas ∘ rotation}: the matrix
         *         row-major (9) then the offset (3, mm), {@code x_atlas = M·p + offset}
         */
        public double[] rotatedToAtlas() {
            AffineTransform m = registration.scanToAtlas().compose(rotation);
            double[] out = Arrays.copyOf(m.matrix(), 12);
            System.arraycopy(m.offset(), 0, out, 9, 3);
            return out;
        }
    }

    /**
     * @param scan     the CT as acquired (HU, any grid, LPS mm)
     * @param scanName how the scan is named in a refusal (scan id and CT object key)
     * @param own      the transform on the scan record (uploaded, or derived by an earlier run), or
     *                 {@code null} when it has none
     * @param ownOrigin where {@code own} came from ({@code null} with it)
     * @return the rotation to apply and the registration to record
     * @throws PoisonInputException when the registration is refused
     */
    public Alignment align(Volume scan, String scanName, AffineTransform own, TransformOrigin ownOrigin) {
        RegistrationResult r;
        try {
            r = registration.register(scan, scanName);
        } catch (RegistrationException e) {
            throw new PoisonInputException(e.getMessage() + (own == null
                    ? "; upload a head CT (or check that this file is one)"
                    : "; the scan came with a transform file, but a volume the head atlas cannot be fitted to is not a "
                    + "head CT the networks can segment"), e);
        }
        DeformableRegistration.Outcome warp = deformable == null ? null : deformable.refine(scan, r);
        if (own != null) {
            return new Alignment(own, ownOrigin, r, warp);
        }
        return new Alignment(r.standardOrientation(), TransformOrigin.DERIVED, r, warp);
    }
}
