package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.gateway.testing.GzipBombs;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;

/**
 * The upload checks on a tiny phantom (24×24×12 voxels), hand-made corruptions of it, and gzip
 * files that claim far more than they hold: refused with 413 from the header, having inflated no
 * voxel (the poisoned ones fail on any voxel inflated).
 */
class UploadValidatorTest {

    @TempDir
    static Path dir;

    private static UploadedPart ct;
    private static UploadedPart transform;
    private static UploadedPart labels;
    private static final VolumeLimits LIMITS = new VolumeLimits(1L << 28, 1L << 30, 600);
    private final UploadValidator validator = new UploadValidator(1e-3, 1e-3, LIMITS);

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
    @Test
    void aSmallGzipClaimingAHugeCtIsRefusedFromItsHeader() {
        // why: 1024×1024×512 int16 is 1 GiB of voxels, the "1 MB → 1 GiB" claim
        UploadedPart claim = UploadedPart.of("ct", GzipBombs.poisoned(Phantoms.gunzip(ct.file()), new int[] {1024, 1024, 512},
                dir.resolve("claim.nii.gz")));

        assertThatThrownBy(() -> validator.validate(claim, transform, null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.part()).isEqualTo("ct");
                })
                .hasMessage("volume too large: 1024×1024×512 is 536,870,912 voxels, above the limit of 268,435,456 voxels");
    }

    @Test
    void aDeflateBombWithinTheSizeLimitsIsRefusedByItsRatio() {
        // why: 256×256×384 int16 (50 MB) from about 49 KB: the 48 KB bomb
        UploadedPart bomb = UploadedPart.of("ct", GzipBombs.bomb(Phantoms.gunzip(ct.file()), new int[] {256, 256, 384},
                dir.resolve("bomb.nii.gz")));

        assertThat(bomb.sizeBytes()).isLessThan(64 << 10);
        assertThatThrownBy(() -> validator.validate(bomb, transform, null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("declares 50,332,000 bytes uncompressed (256×256×384 int16)")
                .hasMessageContaining("above the limit of 600:1; refused before inflating it");
    }

    @Test
    void theRatioCheckReadsNothingPastTheHeader() {
        UploadedPart poisoned = UploadedPart.of("ct", GzipBombs.poisoned(Phantoms.gunzip(ct.file()), new int[] {256, 256, 384},
                dir.resolve("poisoned.nii.gz")));
        UploadValidator noRatio = new UploadValidator(1e-3, 1e-3, new VolumeLimits(1L << 28, 1L << 30, 1e9));

        // why: refused for its ratio, not for the corrupt data one voxel run further on, which is there to be found
        assertThatThrownBy(() -> validator.validate(poisoned, transform, null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThatThrownBy(() -> noRatio.validate(poisoned, transform, null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("corrupt gzip data");
    }

    @Test
    void aLabelBombOnTheCtsGridIsRefusedNamingTheLabels() {
        UploadedPart bomb = UploadedPart.of("labels", GzipBombs.bomb(Phantoms.gunzip(labels.file()), new int[] {24, 24, 12},
                dir.resolve("labels-bomb.nii.gz")));
        UploadValidator strict = new UploadValidator(1e-3, 1e-3, new VolumeLimits(1L << 28, 1L << 30, 2));

        assertThatThrownBy(() -> strict.validate(ct, transform, bomb))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.part()).isEqualTo("labels");
                })
                .hasMessageContaining("above the limit of 2:1");
    }

    @Test
    void aCtOverTheVoxelLimitIsRefusedAndOneAtItPasses() {
        UploadValidator exact = new UploadValidator(1e-3, 1e-3, new VolumeLimits(24 * 24 * 12, 1L << 30, 600));
        UploadValidator oneLess = new UploadValidator(1e-3, 1e-3, new VolumeLimits(24 * 24 * 12 - 1, 1L << 30, 600));

        assertThat(exact.validate(ct, transform, labels).ctGeometry().voxelCount()).isEqualTo(24 * 24 * 12);
        assertThatThrownBy(() -> oneLess.validate(ct, transform, labels))
                .isInstanceOfSatisfying(RequestRejected.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("6,912 voxels, above the limit of 6,911 voxels");
    }

    @Test
    void aFloatCtWithNaNIsRefusedNamingTheVoxel() throws IOException {
        Volume v = NiftiReader.read(ct.file());
        Volume f = Volume.allocate(v.geometry(), DataType.FLOAT32);
        for (int i = 0; i < v.voxels().length(); i++) {
            f.voxels().set(i, v.voxels().get(i));
        }
        f.voxels().set(3 + 24 * (2 + 24 * 1), Double.NaN);
        java.nio.file.Path file = dir.resolve("nan.nii.gz");
        NiftiWriter.write(f, file);

        assertThatThrownBy(() -> validator.validate(UploadedPart.of("ct", file), transform, null))
                .isInstanceOfSatisfying(RequestRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.part()).isEqualTo("ct");
                })
                .hasMessage("CT value NaN at voxel (3, 2, 1) is not a finite number (HU)");
    }
}
