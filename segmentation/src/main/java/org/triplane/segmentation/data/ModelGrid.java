package org.triplane.segmentation.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Geometry;

/**
 * The coarse grid a segmentation model works on: an isotropic voxel size and a field of view
 * along the LPS axes, placed either on each scan by {@link #gridFor} (centred on the scan's grid), or,
 * when {@link #atlasCentre} is set, once and for all in atlas space by {@link #atlasGeometry} (each
 * scan is then resampled into atlas space through its registration, so every scan arrives in the
 * same position, size and orientation). A model records its grid, so a model trained on one
 * scanner's grid serves scans of any other: inputs are resampled onto the model grid and predictions
 * back onto the scan's own grid.
 *
 * <p>Array size along each LPS axis = {@code round(fieldOfView / spacing)} voxels; for example
 * {@link #COARSE} is 128 × 128 × 80 voxels of 2 mm along LPS x, y, z.
 *
 * @param spacingMm      isotropic voxel size, mm
 * @param fieldOfViewXMm extent along LPS x (toward patient left), mm
 * @param fieldOfViewYMm extent along LPS y (toward posterior), mm
 * @param fieldOfViewZMm extent along LPS z (toward superior), mm
 * @param atlasCentre    for a grid placed in atlas space, the atlas point (LPS mm) at its centre;
 *                       {@code null} for a grid placed on each scan's own grid
 * @param deformableAtlas for an atlas-placed grid, whether the atlas inputs follow each scan's deformable
 *                       registration ({@link ScanVolumes#atlasWarp}) rather than its affine one alone; the
 *                       grid itself stays in the affine atlas space either way
 */
public record ModelGrid(double spacingMm, double fieldOfViewXMm, double fieldOfViewYMm, double fieldOfViewZMm,
                        AtlasCentre atlasCentre, boolean deformableAtlas) {

    /**
     * The atlas point (LPS mm, the shipped atlas's physical space) at the centre of an atlas-placed grid.
     */
    public record AtlasCentre(double xMm, double yMm, double zMm) {
        public AtlasCentre {
            if (!Double.isFinite(xMm) || !Double.isFinite(yMm) || !Double.isFinite(zMm)) {
                throw new IllegalArgumentException("atlas centre must be finite (LPS mm), got " + xMm + ", " + yMm + ", " + zMm);
            }
        }

        double[] toArray() {
            return new double[] {xMm, yMm, zMm};
        }
    }

    /** 2 mm voxels over 256 × 256 × 160 mm (LPS x, y, z): 128 × 128 × 80 voxels, a whole adult head. */
    public static final ModelGrid COARSE = of(2.0, 256, 256, 160);

    /**
     * A grid in atlas space over the 20 regions of the shipped atlas (their bounding box is LPS
     * x −70..71, y −67..94, z −16..56 mm) with at least 6 mm to spare: 157 × 176 × 89 mm centred on
     * (0, 13.5, 20) mm, at {@code spacingMm}. why these sizes: at 1 mm the voxel centres then fall on
     * the atlas's own (whole millimetres), so the atlas inputs are its labels unblurred.
     */
    public static ModelGrid aspectsInAtlas(double spacingMm) {
        return inAtlas(spacingMm, 157, 176, 89, new AtlasCentre(0, 13.5, 20));
    }

    private static final String SPACING_KEY = "spacingMm";
    private static final String DEFORMABLE_KEY = "deformableAtlas";
    private static final Pattern JSON_DEFORMABLE = Pattern.compile("\"deformableAtlas\"\\s*:\\s*true");
    private static final String[] FOV_KEYS = {"fieldOfViewXMm", "fieldOfViewYMm", "fieldOfViewZMm"};
    private static final String NUMBER = "(-?[0-9][0-9.eE+\\-]*)";
    private static final Pattern JSON_SPACING = Pattern.compile("\"spacingMm\"\\s*:\\s*" + NUMBER);
    private static final Pattern JSON_FOV = Pattern.compile(
            "\"fieldOfViewMm\"\\s*:\\s*\\[\\s*" + NUMBER + "\\s*,\\s*" + NUMBER + "\\s*,\\s*" + NUMBER + "\\s*]");
    private static final String[] CENTRE_KEYS = {"atlasCentreXMm", "atlasCentreYMm", "atlasCentreZMm"};
    private static final Pattern JSON_CENTRE = Pattern.compile(
            "\"atlasCentreMm\"\\s*:\\s*\\[\\s*" + NUMBER + "\\s*,\\s*" + NUMBER + "\\s*,\\s*" + NUMBER + "\\s*]");

    /** A grid placed on each scan's own grid (no atlas centre). */
    public ModelGrid(double spacingMm, double fieldOfViewXMm, double fieldOfViewYMm, double fieldOfViewZMm) {
        this(spacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm, null, false);
    }

    /** A grid whose atlas inputs (if placed in atlas space) follow the affine registration alone. */
    public ModelGrid(double spacingMm, double fieldOfViewXMm, double fieldOfViewYMm, double fieldOfViewZMm,
                     AtlasCentre atlasCentre) {
        this(spacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm, atlasCentre, false);
    }

    public ModelGrid {
        if (deformableAtlas && atlasCentre == null) {
            throw new IllegalArgumentException("only a model grid placed in atlas space can follow a deformable registration");
        }
        if (!(spacingMm > 0) || !Double.isFinite(spacingMm)) {
            throw new IllegalArgumentException("model grid spacing must be a positive number of mm, got " + spacingMm);
        }
        double[] fov = {fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm};
        for (int axis = 0; axis < 3; axis++) {
            if (!(fov[axis] > 0) || !Double.isFinite(fov[axis])) {
                throw new IllegalArgumentException("model grid field of view along LPS " + "xyz".charAt(axis)
                        + " must be a positive number of mm, got " + fov[axis]);
            }
            long n = Math.round(fov[axis] / spacingMm);
            if (n < 1) {
                throw new IllegalArgumentException("model grid field of view " + fov[axis] + " mm along LPS "
                        + "xyz".charAt(axis) + " holds no " + spacingMm + " mm voxel (needs at least 1)");
            }
            if (n > 4096) {
                throw new IllegalArgumentException("model grid field of view " + fov[axis] + " mm along LPS "
                        + "xyz".charAt(axis) + " at " + spacingMm + " mm is " + n + " voxels; at most 4096 are allowed");
            }
        }
    }

    /** A model grid of {@code spacingMm} voxels over the given field of view (mm along LPS x, y, z). */
    public static ModelGrid of(double spacingMm, double fieldOfViewXMm, double fieldOfViewYMm, double fieldOfViewZMm) {
        return new ModelGrid(spacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm);
    }

    /** The same field of view and placement at another voxel size. */
    public ModelGrid withSpacing(double newSpacingMm) {
        return new ModelGrid(newSpacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm, atlasCentre, deformableAtlas);
    }

    /** The same atlas-placed grid with its atlas inputs following each scan's deformable registration. */
    public ModelGrid withDeformableAtlas() {
        return new ModelGrid(spacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm, atlasCentre, true);
    }

    /** A grid of {@code spacingMm} voxels over the given field of view (mm along LPS x, y, z) in atlas space, centred on {@code centre}. */
    public static ModelGrid inAtlas(double spacingMm, double fieldOfViewXMm, double fieldOfViewYMm, double fieldOfViewZMm,
                                    AtlasCentre centre) {
        return new ModelGrid(spacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm,
                java.util.Objects.requireNonNull(centre, "atlas centre"));
    }

    /** Whether this grid lies in atlas space (scans reach it through their registration). */
    public boolean atlasPlaced() {
        return atlasCentre != null;
    }

    /**
     * The grid in atlas space: identity direction (array axes along LPS x, y, z), isotropic
     * {@link #spacingMm}, {@link #lpsDims()} voxels, centred on {@link #atlasCentre}; x fastest.
     *
     * @throws IllegalStateException for a grid placed on each scan
     */
    public Geometry atlasGeometry() {
        if (atlasCentre == null) {
            throw new IllegalStateException("model grid " + this + " is placed on each scan, not in atlas space");
        }
        int[] d = lpsDims();
        double[] c = atlasCentre.toArray();
        double[] origin = new double[3];
        for (int axis = 0; axis < 3; axis++) {
            origin[axis] = c[axis] - spacingMm * (d[axis] - 1) / 2.0;
        }
        return Geometry.axisAligned(d[0], d[1], d[2], new double[] {spacingMm, spacingMm, spacingMm}, origin);
    }

    /** Field of view along LPS x, y, z (mm). */
    public double[] fieldOfViewMm() {
        return new double[] {fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm};
    }

    /** Voxels along LPS x, y, z: {@code round(fieldOfView / spacing)}. */
    public int[] lpsDims() {
        double[] fov = fieldOfViewMm();
        return new int[] {
            (int) Math.round(fov[0] / spacingMm), (int) Math.round(fov[1] / spacingMm), (int) Math.round(fov[2] / spacingMm),
        };
    }

    /**
     * This model grid placed on a scan: the scan's direction cosines, isotropic {@link #spacingMm},
     * array size along each array axis = the voxel count of the LPS axis that array axis points along
     * most, and the same physical centre (LPS mm) as {@code scanGrid}. Voxels stay x fastest.
     *
     * @throws IllegalArgumentException when the scan's direction cosines do not pair array axes
     *                                  one-to-one with LPS axes
     */
    public Geometry gridFor(Geometry scanGrid) {
        double[] direction = scanGrid.direction();
        int[] lpsOfArray = LpsAxes.lpsOfArrayAxis(direction);
        int[] lps = lpsDims();
        int[] dims = {lps[lpsOfArray[0]], lps[lpsOfArray[1]], lps[lpsOfArray[2]]};
        double[] centre = scanGrid.centre();
        double[] origin = new double[3];
        for (int r = 0; r < 3; r++) {
            double offset = 0;
            for (int c = 0; c < 3; c++) {
                offset += direction[r * 3 + c] * spacingMm * (dims[c] - 1) / 2.0;
            }
            origin[r] = centre[r] - offset;
        }
        return new Geometry(dims[0], dims[1], dims[2], new double[] {spacingMm, spacingMm, spacingMm}, origin, direction);
    }

    /**
     * {@code [height, width]} of one slice of {@code plane} on this grid before padding: the voxel
     * counts along the LPS axes of the plane's rows and columns (see {@link Plane}; for example axial
     * rows run along y and columns along x, so axial slices of {@link #COARSE} are 128 × 128).
     */
    public int[] sliceSize(Plane plane) {
        int[] lps = lpsDims();
        return switch (plane) {
            case AXIAL -> new int[] {lps[1], lps[0]};
            case CORONAL -> new int[] {lps[2], lps[0]};
            case SAGITTAL -> new int[] {lps[2], lps[1]};
        };
    }

    /** Number of slices of {@code plane}: the voxel count along the plane's normal LPS axis. */
    public int sliceCount(Plane plane) {
        return lpsDims()[plane.normalAxis()];
    }

    /** {@link #sliceSize} rounded up to multiples of {@code 2^depth}, as {@link org.triplane.imaging.plane.PlaneSlicer} pads. */
    public int[] paddedSliceSize(Plane plane, int depth) {
        if (depth < 0 || depth > 10) {
            throw new IllegalArgumentException("depth must be 0..10, got " + depth);
        }
        int multiple = 1 << depth;
        int[] size = sliceSize(plane);
        return new int[] {
            (size[0] + multiple - 1) / multiple * multiple, (size[1] + multiple - 1) / multiple * multiple,
        };
    }

    /** {@code spacingMm, fieldOfViewXMm, fieldOfViewYMm, fieldOfViewZMm} (mm), for a model registry. */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put(SPACING_KEY, spacingMm);
        double[] fov = fieldOfViewMm();
        for (int axis = 0; axis < 3; axis++) {
            map.put(FOV_KEYS[axis], fov[axis]);
        }
        if (atlasCentre != null) {
            double[] c = atlasCentre.toArray();
            for (int axis = 0; axis < 3; axis++) {
                map.put(CENTRE_KEYS[axis], c[axis]);
            }
        }
        if (deformableAtlas) {
            map.put(DEFORMABLE_KEY, 1.0);
        }
        return map;
    }

    /**
     * Reads {@link #toMap()}'s form; values may be numbers or decimal strings.
     *
     * @throws IllegalArgumentException naming a missing or malformed key
     */
    public static ModelGrid fromMap(Map<String, ?> map) {
        double[] v = new double[4];
        String[] keys = {SPACING_KEY, FOV_KEYS[0], FOV_KEYS[1], FOV_KEYS[2]};
        for (int i = 0; i < 4; i++) {
            Object value = map.get(keys[i]);
            if (value == null) {
                throw new IllegalArgumentException("model grid map lacks '" + keys[i] + "': " + map);
            }
            v[i] = value instanceof Number n ? n.doubleValue() : parse(keys[i], value.toString());
        }
        AtlasCentre centre = null;
        if (map.containsKey(CENTRE_KEYS[0])) {
            double[] c = new double[3];
            for (int axis = 0; axis < 3; axis++) {
                Object value = map.get(CENTRE_KEYS[axis]);
                if (value == null) {
                    throw new IllegalArgumentException("model grid map lacks '" + CENTRE_KEYS[axis] + "': " + map);
                }
                c[axis] = value instanceof Number n ? n.doubleValue() : parse(CENTRE_KEYS[axis], value.toString());
            }
            centre = new AtlasCentre(c[0], c[1], c[2]);
        }
        Object deformable = map.get(DEFORMABLE_KEY);
        boolean follows = deformable != null && (deformable instanceof Number n ? n.doubleValue() != 0
                : deformable.toString().trim().equals("true") || deformable.toString().trim().equals("1"));
        return new ModelGrid(v[0], v[1], v[2], v[3], centre, follows);
    }

    /**
     * {@code {"spacingMm":2.0,"fieldOfViewMm":[256.0,256.0,160.0]}}: field of view along LPS x, y, z, mm;
     * an atlas-placed grid adds {@code "atlasCentreMm":[x,y,z]} (atlas LPS mm), and
     * {@code "deformableAtlas":true} when its atlas inputs follow the deformable registration.
     */
    public String toJson() {
        String base = String.format(Locale.ROOT, "{\"spacingMm\":%s,\"fieldOfViewMm\":[%s,%s,%s]",
                Double.toString(spacingMm), Double.toString(fieldOfViewXMm), Double.toString(fieldOfViewYMm),
                Double.toString(fieldOfViewZMm));
        if (atlasCentre == null) {
            return base + "}";
        }
        return base + String.format(Locale.ROOT, ",\"atlasCentreMm\":[%s,%s,%s]%s}", Double.toString(atlasCentre.xMm()),
                Double.toString(atlasCentre.yMm()), Double.toString(atlasCentre.zMm()),
                deformableAtlas ? ",\"deformableAtlas\":true" : "");
    }

    /**
     * Reads {@link #toJson()}'s form (keys in any order, any whitespace, other keys ignored).
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static ModelGrid fromJson(String json) {
        Matcher spacing = JSON_SPACING.matcher(json);
        if (!spacing.find()) {
            throw new IllegalArgumentException("model grid JSON lacks a numeric \"spacingMm\": " + json);
        }
        Matcher fov = JSON_FOV.matcher(json);
        if (!fov.find()) {
            throw new IllegalArgumentException("model grid JSON lacks \"fieldOfViewMm\": [x, y, z] in mm: " + json);
        }
        Matcher centre = JSON_CENTRE.matcher(json);
        AtlasCentre atlas = centre.find() ? new AtlasCentre(parse("atlasCentreMm[0]", centre.group(1)),
                parse("atlasCentreMm[1]", centre.group(2)), parse("atlasCentreMm[2]", centre.group(3))) : null;
        return new ModelGrid(parse("spacingMm", spacing.group(1)), parse("fieldOfViewMm[0]", fov.group(1)),
                parse("fieldOfViewMm[1]", fov.group(2)), parse("fieldOfViewMm[2]", fov.group(3)), atlas,
                atlas != null && JSON_DEFORMABLE.matcher(json).find());
    }

    private static double parse(String key, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model grid '" + key + "' is not a number: '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        int[] d = lpsDims();
        return "ModelGrid[" + spacingMm + " mm, " + fieldOfViewXMm + " × " + fieldOfViewYMm + " × " + fieldOfViewZMm
                + " mm (LPS x, y, z) = " + d[0] + " × " + d[1] + " × " + d[2] + " voxels"
                + (atlasCentre == null ? "" : ", in atlas space centred on " + atlasCentre.xMm() + ", " + atlasCentre.yMm() + ", "
                + atlasCentre.zMm() + " mm" + (deformableAtlas ? ", atlas inputs following the deformable registration" : ""))
                + "]";
    }
}
