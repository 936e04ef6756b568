package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;

/** The upload checks on a tiny phantom (24×24×12 voxels) and hand-made corruptions of it. */
class UploadValidatorTest {

    @TempDir
    static Path dir;

    private static UploadedPart ct;
    private static UploadedPart transform;
    private static UploadedPart labels;
    private final UploadValidator validator = new UploadValidator(1e-3, 1e-3);

    @BeforeAll
    static void phantom() throws IOException {
        PhantomDataset.Result r = PhantomDataset.write(PhantomSpec.of(24, 24, 12, new double[] {9.6, 9.6, 11.4}, 3), dir, 1,
                (done, total, s) -> { });
        PhantomDataset.SubjectFiles s = r.subjects().get(0);
        ct = UploadedPart.of("ct", r.directory().resolve(s.ctFile()));
        transform = UploadedPart.of("transform", r.directory().resolve(s.transformFile()));
        labels = UploadedPart.of("labels", r.directory().resolve(s.segFile()));
    }

    private static UploadedPart file(String name, String fileName, String content) throws IOException {
        return UploadedPart.of(name, Files.writeString(dir.resolve(fileName), content));
    }

    @Test
    void aPhantomPasses() {
        ValidatedScan v = validator.validate(ct, transform, labels);

        assertThat(v.ctGeometry().dims()).containsExactly(24, 24, 12);
        assertThat(v.transform().isRotation(1e-6)).isTrue();
    }

    @Test
    void aScanWithoutATransformPasses() {
        ValidatedScan v = validator.validate(ct, null, labels);

        assertThat(v.ctGeometry().dims()).containsExactly(24, 24, 12);
        assertThat(v.transform()).isNull();
    }

    @Test
    void ctThatIsNotNiftiIsNamed() throws IOException {
        UploadedPart text = file("ct", "ct.nii", "x".repeat(400));

        assertThatThrownBy(() -> validator.validate(text, transform, null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.part()).isEqualTo("ct"))
                .hasMessageContaining("NIfTI");
    }

    @Test
    void scalingTransformIsNotARotation() throws IOException {
        String scaled = Files.readString(transform.file()).replaceAll("(?m)^Parameters:.*$", "Parameters: 1 0 0 0 1.1 0 0 0 1 0 0 0");

        assertThatThrownBy(() -> validator.validate(ct, file("transform", "scaled.txt", scaled), null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.part()).isEqualTo("transform"))
                .hasMessageContaining("not a rotation");
    }

    @Test
    void labelsOnTheCtItselfAreOutOfRange() {
        // why: the CT holds HU values such as -1000, far outside the labels 0..20, on the right grid
        UploadedPart ctAsLabels = new UploadedPart("labels", ct.file(), ct.sizeBytes(), ct.sha256());

        assertThatThrownBy(() -> validator.validate(ct, transform, ctAsLabels))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.part()).isEqualTo("labels"))
                .hasMessageContaining("outside the labels 0..20");
    }
}
