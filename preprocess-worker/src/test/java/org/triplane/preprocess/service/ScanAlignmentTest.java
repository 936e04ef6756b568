package org.triplane.preprocess.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.TransformOrigin;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.PolarDecomposition;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.registration.AtlasRegistration;
import org.triplane.imaging.registration.RegistrationSettings;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.worker.run.PoisonInputException;

/**
 * The rotation a scan is preprocessed with, on a coarse phantom (the worker IT's grid, 48×48×24 at
 * 4.8×4.8×5.7 mm): derived from the registration when the scan has no transform, its own otherwise;
 * a volume that is not a head CT is refused naming the scan and the quality figure.
 */
class ScanAlignmentTest {
    private static final ScanAlignment ALIGNMENT =
            new ScanAlignment(new AtlasRegistration(RegistrationSettings.builder().setThreads(2).build()));
    private static PhantomSubject subject;

    @BeforeAll
    static void phantom() {
        subject = new PhantomGenerator(PhantomSpec.of(48, 48, 24, new double[] {4.8, 4.8, 5.7}, 7), 2).generate(1);
    }

    @Test
    void withoutATransformTheRotationIsDerivedWithinOneAndAHalfDegreesOfThePose() {
        ScanAlignment.Alignment a = ALIGNMENT.align(subject.ct(), "scan s1", null, null);

        assertThat(a.origin()).isEqualTo(TransformOrigin.DERIVED);
        assertThat(a.rotation().isRotation(1e-9)).isTrue();
        double errorDeg = Math.toDegrees(PolarDecomposition.angleBetween(subject.pose().matrix(), a.rotation().matrix()));
        assertThat(errorDeg).isLessThan(1.5);
        assertThat(a.registration().quality()).isGreaterThan(0.85);
    }

    @Test
    void anUploadedTransformWinsAndTheAtlasMapStartsFromTheRotatedGrid() {
        AffineTransform uploaded = subject.pose();
        ScanAlignment.Alignment a = ALIGNMENT.align(subject.ct(), "scan s1", uploaded, TransformOrigin.UPLOADED);

        assertThat(a.origin()).isEqualTo(TransformOrigin.UPLOADED);
        assertThat(a.rotation()).isSameAs(uploaded);
        // a rotated-grid point goes first through the rotation to the scan, then to the atlas
        double[] p = {12.5, -30.25, 7.0};
        double[] expected = a.registration().scanToAtlas().apply(uploaded.apply(p));
        double[] m = a.rotatedToAtlas();
        for (int i = 0; i < 3; i++) {
            double x = m[3 * i] * p[0] + m[3 * i + 1] * p[1] + m[3 * i + 2] * p[2] + m[9 + i];
            assertThat(x).as("coordinate %d", i).isCloseTo(expected[i], within(1e-9));
        }
    }

    @Test
    void theRegistrationRowHoldsTheMethodQualityAndBothMaps() {
        ScanAlignment.Alignment a = ALIGNMENT.align(subject.ct(), "scan s1", null, null);
        UUID tenant = UUID.randomUUID();
        UUID scan = UUID.randomUUID();

        ScanRegistration row = ScanRecords.registration(tenant, scan, a);

        assertThat(row.method()).isEqualTo("atlas-affine-ncc");
        assertThat(row.quality()).isEqualTo(a.registration().quality());
        assertThat(row.scanToAtlasParameters().subList(0, 9))
                .containsExactly(java.util.Arrays.stream(a.registration().scanToAtlas().matrix()).boxed().toArray(Double[]::new));
        assertThat(row.scanToAtlasCentreMm())
                .containsExactly(java.util.Arrays.stream(a.registration().scanToAtlas().center()).boxed().toArray(Double[]::new));
        assertThat(row.rotatedToAtlas()).hasSize(12);
        assertThat(row.seconds()).isPositive();
    }

    @Test
    void aUniformVolumeIsRefusedNamingTheScanAndTheQuality() {
        Volume uniform = Volume.allocate(subject.ct().geometry(), DataType.INT16);
        for (int i = 0, n = uniform.voxels().length(); i < n; i++) {
            uniform.voxels().set(i, 40);
        }

        for (AffineTransform own : new AffineTransform[] {null, AffineTransform.identity()}) {
            assertThatThrownBy(() -> ALIGNMENT.align(uniform, "scan 1234 (tenants/t/scans/f/ct.nii.gz)", own,
                    own == null ? null : TransformOrigin.UPLOADED))
                    .isInstanceOf(PoisonInputException.class)
                    .hasMessageContaining("scan 1234 (tenants/t/scans/f/ct.nii.gz)")
                    .hasMessageContaining("quality (NCC)")
                    .hasMessageContaining(own == null ? "upload a head CT" : "came with a transform file");
        }
    }

    @Test
    void anAbdomenSizedFieldIsRefused() {
        // a 40 cm field of water-like tissue: far more than a head holds
        Volume trunk = Volume.allocate(Geometry.axisAligned(40, 40, 30, new double[] {10, 10, 10},
                new double[] {-200, -200, -150}), DataType.INT16);
        for (int i = 0, n = trunk.voxels().length(); i < n; i++) {
            trunk.voxels().set(i, 30);
        }

        assertThatThrownBy(() -> ALIGNMENT.align(trunk, "scan trunk", null, null))
                .isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("scan trunk")
                .hasMessageContaining("not a head CT");
    }
}
