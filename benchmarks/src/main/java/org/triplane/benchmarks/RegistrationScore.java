package org.triplane.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.geometry.Matrix3;
import org.triplane.imaging.geometry.PolarDecomposition;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.phantom.Atlas;
import org.triplane.imaging.registration.RegistrationFiles;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * Scores two registrations of the atlas to one synthetic scan as acquired ({@code N.nii.gz}):
 * ours ({@code OURS_DIR/atlas-to-scan.txt}, scan → atlas) and elastix's
 * ({@code TransformParameters.0.txt} of an affine run with the scan fixed and the template
 * moving, also scan → atlas).
 *
 * <p>The ground truth {@code N-seg.nii.gz} lines up with the scan rotated through {@code N.txt}
 * (canonical space), so each method's labels are carried in one nearest-neighbour resampling of
 * the atlas labels through {@code scanToAtlas ∘ pose} onto the grid ({@code out(p) =
 * atlas(scanToAtlas(pose(p)))}), the same code path for both; mean IoU over the 20 regions by the
 * project's {@link SegmentationEvaluator}. Rotation error: angle between the pose's rotation and
 * the transposed polar rotation of each method's matrix (ours: {@code standard-orientation.txt}).
 *
 * <p>Usage: {@code RegistrationScore SCAN_DIR N OURS_DIR ELASTIX_PARAMS}; prints one line
 * {@code SCORE n=… iou_ours=… iou_elastix=… rot_ours_deg=… rot_elastix_deg=… pose_deg=…}.
 */
public final class RegistrationScore {
    private static final Pattern PARAMS = Pattern.compile("\\(TransformParameters ([^)]*)\\)");
    private static final Pattern CENTRE = Pattern.compile("\\(CenterOfRotationPoint ([^)]*)\\)");

    private RegistrationScore() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: RegistrationScore SCAN_DIR N OURS_DIR ELASTIX_PARAMS");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String n = args[1];
        Path ours = Path.of(args[2]);
        Path elastixFile = Path.of(args[3]);
        Volume truth = NiftiReader.read(dir.resolve(n + "-seg.nii.gz"));
        AffineTransform pose = ItkTransformFile.read(dir.resolve(n + ".txt"));
        AffineTransform oursMap = ItkTransformFile.read(ours.resolve(RegistrationFiles.ATLAS_TO_SCAN));
        AffineTransform oursStd = ItkTransformFile.read(ours.resolve(RegistrationFiles.STANDARD_ORIENTATION));
        AffineTransform elastix = readElastixAffine(elastixFile);
        double iouOurs = meanIoU(truth, oursMap.compose(pose));
        double iouElastix = meanIoU(truth, elastix.compose(pose));
        double rotOurs = Math.toDegrees(PolarDecomposition.angleBetween(pose.matrix(), oursStd.matrix()));
        double[] elastixRotation = Matrix3.transpose(PolarDecomposition.of(elastix.matrix()).rotation());
        double rotElastix = Math.toDegrees(PolarDecomposition.angleBetween(pose.matrix(), elastixRotation));
        EulerAngles e = EulerAngles.of(pose.matrix());
        System.out.printf(Locale.ROOT, "SCORE n=%s iou_ours=%.4f iou_elastix=%.4f rot_ours_deg=%.2f rot_elastix_deg=%.2f "
                        + "pose_deg=%.1f/%.1f/%.1f%n", n, iouOurs, iouElastix, rotOurs, rotElastix,
                e.xDegrees(), e.yDegrees(), e.zDegrees());
    }

    private static double meanIoU(Volume truth, AffineTransform canonicalToAtlas) {
        Volume labels = Volume.allocate(truth.geometry(), DataType.UINT8);
        new Resampler(2).resampleRows(Atlas.get().labels(), truth.geometry(), canonicalToAtlas, Interpolation.NEAREST, 0,
                labels.voxels()::setRow);
        return new SegmentationEvaluator(2).confusion(truth, labels).meanIoU();
    }

    /** elastix's affine: {@code T(x) = A·(x − c) + t + c}, ITK's form (matrix row-major, then translation; centre). */
    static AffineTransform readElastixAffine(Path file) throws IOException {
        String text = Files.readString(file);
        if (!text.contains("(Transform \"AffineTransform\")")) {
            throw new IOException(file + ": not an elastix AffineTransform parameter file");
        }
        double[] p = numbers(file, PARAMS, text, 12);
        double[] c = numbers(file, CENTRE, text, 3);
        double[] m = new double[9];
        System.arraycopy(p, 0, m, 0, 9);
        return new AffineTransform(m, c, new double[] {p[9], p[10], p[11]});
    }

    private static double[] numbers(Path file, Pattern pattern, String text, int count) throws IOException {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IOException(file + ": no " + pattern.pattern());
        }
        String[] parts = matcher.group(1).trim().split("\\s+");
        if (parts.length != count) {
            throw new IOException(file + ": expected " + count + " numbers in " + matcher.group(0));
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }
}
