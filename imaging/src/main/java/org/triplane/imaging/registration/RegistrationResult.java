package org.triplane.imaging.registration;

import java.util.List;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.geometry.PolarDecomposition;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.volume.Geometry;

/**
 * The affine fit of the CT template (atlas) to one scan. All points LPS, mm.
 *
 * <ul>
 *   <li>{@link #scanToAtlas()} maps a SCAN point to the ATLAS point showing the same anatomy. In
 *       ITK's resampling convention ({@code out(p) = in(T(p))}) it is the transform that resamples
 *       the ATLAS (CT, labels) onto the SCAN's grid; written as {@code atlas-to-scan.txt}.</li>
 *   <li>{@link #atlasToScan()} is its inverse: it resamples the SCAN onto the ATLAS grid; written
 *       as {@code scan-to-atlas.txt}.</li>
 *   <li>{@link #rotation()} is the rotation factor of the polar decomposition of
 *       {@code scanToAtlas}'s matrix ({@code A = U·P}): the scan's head orientation relative to the
 *       template, free of head size and shear.</li>
 *   <li>{@link #headCentre()} is the scan point that shows the atlas brain centre.</li>
 * </ul>
 *
 * @param scan        the scan's name (usually its file)
 * @param scanGrid    the scan's grid
 * @param scanToAtlas scan point → atlas point
 * @param quality     NCC between the scan and the fitted template inside the head (windowed HU), −1..1
 * @param headCoverage share of the scan's tissue region (voxels within 10 mm of tissue) that lies
 *                    within 10 mm of the fitted template's head; what is left is not head (a table)
 *                    or not covered by the template
 * @param stages      the stages in the order they ran
 * @param seconds     wall time of the whole registration (pyramid, search, optimisation)
 */
public record RegistrationResult(String scan, Geometry scanGrid, AffineTransform scanToAtlas, double[] headCentre,
                                 double quality, double headCoverage, List<StageReport> stages, double seconds) {

    public RegistrationResult {
        headCentre = headCentre.clone();
        stages = List.copyOf(stages);
    }

    @Override
    public double[] headCentre() {
        return headCentre.clone();
    }

    /** Atlas point → scan point: resamples the scan onto the atlas grid. */
    public AffineTransform atlasToScan() {
        return scanToAtlas.inverse();
    }

    /** {@code U} of {@code scanToAtlas.matrix() = U·P} (row-major): scan directions → atlas directions. */
    public double[] rotation() {
        return PolarDecomposition.of(scanToAtlas.matrix()).rotation();
    }

    /**
     * The rigid part of the fit, scan point → atlas point: {@code x = U·(p − h) + a} with
     * {@code U} = {@link #rotation()}, {@code h} = {@link #headCentre()} and {@code a} the atlas
     * brain centre; it agrees with {@link #scanToAtlas()} at the head centre and leaves out head
     * size and shear. ITK form: matrix {@code U}, centre {@code h}, translation {@code a − h}.
     */
    public AffineTransform rigidPart() {
        double[] a = Atlas.get().brainCentre();
        double[] h = headCentre;
        return new AffineTransform(rotation(), h, new double[] {a[0] - h[0], a[1] - h[1], a[2] - h[2]});
    }

    /**
     * Head size relative to the template along the principal axes of the fit, largest first: the
     * inverses of the eigenvalues of the stretch {@code P}. 1 is template size.
     */
    public double[] headScale() {
        double[] p = PolarDecomposition.of(scanToAtlas.matrix()).stretch();
        double[] eig = SymmetricEigenvalues.of(p);
        // why: eigenvalues come largest first, so their inverses come smallest first
        return new double[] {1 / eig[2], 1 / eig[1], 1 / eig[0]};
    }

    /**
     * The derived standard orientation: a rotation-only transform {@code R_d} such that resampling
     * the scan through it onto its own grid ({@code out(p) = scan(R_d(p))}) shows the head in the
     * atlas's orientation with the atlas brain centre at the grid centre {@code g} — the role of the
     * study's transform file. {@code R_d(p) = Uᵀ·(p − g) + h} with {@code U} = {@link #rotation()}
     * and {@code h} = {@link #headCentre()}; ITK form: matrix {@code Uᵀ}, centre {@code g},
     * translation {@code h − g}.
     */
    public AffineTransform standardOrientation() {
        double[] g = scanGrid.centre();
        double[] h = headCentre;
        return new AffineTransform(Matrix3.transpose(rotation()), g, new double[] {h[0] - g[0], h[1] - g[1], h[2] - g[2]});
    }

    /** Wall time of the stages named {@code name}, summed. */
    public double stageSeconds(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).mapToDouble(StageReport::seconds).sum();
    }

    /** Metric evaluations of all stages. */
    public int iterations() {
        return stages.stream().mapToInt(StageReport::iterations).sum();
    }
}
