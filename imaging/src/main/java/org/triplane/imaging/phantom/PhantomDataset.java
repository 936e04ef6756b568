package org.triplane.imaging.phantom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiWriter;

/**
 * Writes synthetic studies in the study's layout, for subjects {@code N = 1..count}:
 * <ul>
 *   <li>{@code N.nii.gz}: the CT as acquired, int16 HU, x fastest, ITK LPS geometry of
 *       {@link PhantomSpec#geometry()};</li>
 *   <li>{@code N.txt}: the head pose as an ITK {@code MatrixOffsetTransformBase_double_3_3}
 *       (output→input, LPS mm, FixedParameters 0 0 0), as ITK-SNAP writes it;</li>
 *   <li>{@code N-seg.nii.gz}: uint8 ASPECTS labels 0..20 on the same grid, lined up with the CT
 *       resampled through {@code N.txt}.</li>
 * </ul>
 * The same spec gives byte-identical files.
 */
public final class PhantomDataset {
    private PhantomDataset() {
    }

    /**
     * Told after each subject's three files (int16 HU CT and uint8 labels, x fastest, LPS mm
     * geometry, and the LPS transform) are in place.
     */
    @FunctionalInterface
    public interface ProgressListener {
        void subjectWritten(int done, int total, SubjectFiles subject);
    }

    /**
     * One written subject: file names, the pose (LPS, mm, radians) and label counts; the files hold
     * int16 HU and uint8 labels on one grid, x fastest.
     *
     * @param number        subject number N
     * @param ctFile        {@code N.nii.gz}, relative to the output folder
     * @param transformFile {@code N.txt}
     * @param segFile       {@code N-seg.nii.gz}
     * @param eulerAngles   the pose's rotation, {@code Rz·Ry·Rx} (radians, about LPS axes)
     * @param translation   the pose's translation as written (rotation centre folded in), LPS mm
     * @param labelCounts   voxels per label 0..20 of the segmentation (index = label)
     */
    public record SubjectFiles(int number, String ctFile, String transformFile, String segFile,
                               EulerAngles eulerAngles, double[] translation, long[] labelCounts) {
        public SubjectFiles {
            translation = translation.clone();
            labelCounts = labelCounts.clone();
        }

        @Override
        public double[] translation() {
            return translation.clone();
        }

        @Override
        public long[] labelCounts() {
            return labelCounts.clone();
        }

        /** Voxels with any label 1..20. */
        public long labelledVoxels() {
            long n = 0;
            for (int l = 1; l < labelCounts.length; l++) {
                n += labelCounts[l];
            }
            return n;
        }
    }

    /**
     * What {@link #write} produced: the folder, the spec (grid in LPS mm, voxels x fastest, CT in HU)
     * and one entry per subject in number order.
     */
    public record Result(Path directory, PhantomSpec spec, List<SubjectFiles> subjects) {
        public Result {
            subjects = List.copyOf(subjects);
        }
    }

    public static String ctFileName(int number) {
        return number + ".nii.gz";
    }

    public static String transformFileName(int number) {
        return number + ".txt";
    }

    public static String segFileName(int number) {
        return number + "-seg.nii.gz";
    }

    /**
     * Generates and writes subjects {@code 1..count} of {@code spec} into {@code outDir} (created
     * if missing; existing files of the same names are replaced), using all processors.
     *
     * @param listener may be {@code null}
     */
    public static Result write(PhantomSpec spec, Path outDir, int count, ProgressListener listener) throws IOException {
        return write(new PhantomGenerator(spec), outDir, count, listener);
    }

    /** As {@link #write(PhantomSpec, Path, int, ProgressListener)} with a given generator (and its thread count). */
    public static Result write(PhantomGenerator generator, Path outDir, int count, ProgressListener listener) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, got " + count);
        }
        Files.createDirectories(outDir);
        List<SubjectFiles> written = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            PhantomSubject s = generator.generate(n);
            NiftiWriter.write(s.ct(), outDir.resolve(ctFileName(n)));
            ItkTransformFile.write(s.pose(), outDir.resolve(transformFileName(n)));
            NiftiWriter.write(s.labels(), outDir.resolve(segFileName(n)));
            SubjectFiles f = new SubjectFiles(n, ctFileName(n), transformFileName(n), segFileName(n), s.eulerAngles(),
                    s.pose().translation(), s.labelCounts());
            written.add(f);
            if (listener != null) {
                listener.subjectWritten(n, count, f);
            }
        }
        return new Result(outDir, generator.spec(), written);
    }
}
