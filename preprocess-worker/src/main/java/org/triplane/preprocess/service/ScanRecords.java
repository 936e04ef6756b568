package org.triplane.preprocess.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanTransform;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.volume.Geometry;
import org.triplane.worker.run.PoisonInputException;

/** Maps imaging-core geometry and transforms to the scan record's columns (LPS, mm, degrees). */
public final class ScanRecords {
    private ScanRecords() {
    }

    /** Grid [nx, ny, nz] (x fastest), spacing mm, origin LPS mm, direction row-major. */
    public static ScanGeometry geometry(Geometry g) {
        return new ScanGeometry(Arrays.stream(g.dims()).boxed().toList(), boxed(g.spacing()), boxed(g.origin()),
                boxed(g.direction()));
    }

    /** The 12 file parameters (matrix row-major, translation mm), centre mm and Euler angles in degrees. */
    public static ScanTransform transform(AffineTransform t) {
        List<Double> params = new ArrayList<>(boxed(t.matrix()));
        params.addAll(boxed(t.translation()));
        EulerAngles e = EulerAngles.of(t.matrix());
        return new ScanTransform(params, boxed(t.center()), List.of(e.xDegrees(), e.yDegrees(), e.zDegrees()));
    }

    /**
     * The registration row of a scan: method {@link ScanRegistration#ATLAS_AFFINE_NCC}, its quality,
     * the scan → atlas map as ITK parameters and centre, the rotated-scan → atlas map and the seconds,
     * and the deformable stage's displacement field and seconds when it ran.
     */
    public static ScanRegistration registration(UUID tenantId, UUID scanId, ScanAlignment.Alignment a) {
        AffineTransform scanToAtlas = a.registration().scanToAtlas();
        List<Double> params = new ArrayList<>(boxed(scanToAtlas.matrix()));
        params.addAll(boxed(scanToAtlas.translation()));
        return new ScanRegistration(tenantId, scanId, ScanRegistration.ATLAS_AFFINE_NCC, a.registration().quality(), params,
                boxed(scanToAtlas.center()), boxed(a.rotatedToAtlas()), a.registration().seconds(), null,
                a.warp() == null ? null : boxed(a.warp().warp().field().toArray()),
                a.warp() == null ? null : a.warp().seconds());
    }

    /**
     * @return the scan's HU window as the imaging core applies it (values outside → byte 0)
     * @throws PoisonInputException when the window is wider than one byte holds
     */
    public static Window window(HuWindow w) {
        try {
            return new Window(w.lowHu(), w.highHu(), false);
        } catch (IllegalArgumentException e) {
            throw new PoisonInputException("the scan's HU window cannot be stored in one byte per voxel: " + e.getMessage(), e);
        }
    }

    private static List<Double> boxed(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }
}
