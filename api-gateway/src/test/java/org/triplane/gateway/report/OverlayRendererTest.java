package org.triplane.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.labels.LabelPalette;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;

/** Orientation, proportions, colours and slice choice of the overlay images, on tiny hand-made volumes. */
class OverlayRendererTest {

    /** 20×10×8 voxels of 1×2×4 mm: 20×20×32 mm. */
    private static final Geometry GRID = Geometry.axisAligned(20, 10, 8, new double[] {1, 2, 4}, new double[] {0, 0, 0});

    @Test
    void axialImagesShowThePatientsLeftOnTheRightAnteriorUpInSquareMillimetres() throws Exception {
        Volume ct = Volume.allocate(GRID, DataType.INT16);
        ct.voxels().fill(40);
        Volume labels = Volume.allocate(GRID, DataType.UINT8);
        // one labelled voxel column at the patient's far left (+x, high i) and anterior (low j), every slice
        for (int k = 0; k < 8; k++) {
            labels.voxels().set(labels.index(19, 0, k), 5);
        }
        Map<Plane, List<OverlayRenderer.Overlay>> out = OverlayRenderer.render(ct, labels, 0, 80);
        BufferedImage axial = image(out.get(Plane.AXIAL).get(1));
        assertThat(axial.getWidth()).isEqualTo(256); // 20 × 20 mm, the longer side 256 px
        assertThat(axial.getHeight()).isEqualTo(256);
        int expected = mix(128, LabelPalette.rgb(5));
        assertThat(axial.getRGB(axial.getWidth() - 1, 0) & 0xFFFFFF).as("top right").isEqualTo(expected);
        assertThat(axial.getRGB(0, axial.getHeight() - 1) & 0xFFFFFF).as("bottom left: CT grey 40 HU in [0, 80]")
                .isEqualTo(128 << 16 | 128 << 8 | 128);
        BufferedImage coronal = image(out.get(Plane.CORONAL).get(0));
        assertThat(coronal.getHeight()).isEqualTo(256);
        assertThat(coronal.getWidth()).isEqualTo(160); // 20 × 32 mm
    }

    @Test
    void aFlippedGridIsShownTheSameWay() throws Exception {
        Geometry flipped = new Geometry(20, 10, 8, new double[] {1, 2, 4}, new double[] {19, 0, 0},
                new double[] {-1, 0, 0, 0, 1, 0, 0, 0, 1});
        Volume ct = Volume.allocate(flipped, DataType.INT16);
        Volume labels = Volume.allocate(flipped, DataType.UINT8);
        for (int k = 0; k < 8; k++) {
            labels.voxels().set(labels.index(0, 0, k), 5); // i = 0 is now the patient's far left
        }
        BufferedImage axial = image(OverlayRenderer.render(ct, labels, -100, 100).get(Plane.AXIAL).get(0));
        assertThat(axial.getRGB(axial.getWidth() - 1, 0) & 0xFFFFFF).isNotEqualTo(axial.getRGB(0, 0) & 0xFFFFFF);
        int[] c = rgb(axial.getRGB(0, 0));
        assertThat(c[0]).isEqualTo(c[1]).isEqualTo(c[2]);
    }

    @Test
    void slicesAreChosenWhereTheLabelledVoxelsAreNeverInAnEmptyGap() {
        // two "hemispheres" with an empty middle slice
        long[] counts = {0, 5, 5, 0, 5, 5, 0};
        assertThat(OverlayRenderer.quantileSlice(counts, 0.25)).isEqualTo(1);
        assertThat(OverlayRenderer.quantileSlice(counts, 0.5)).isEqualTo(2);
        assertThat(OverlayRenderer.quantileSlice(counts, 0.75)).isEqualTo(4);
        assertThat(OverlayRenderer.quantileSlice(new long[5], 0.5)).isEqualTo(2);
    }

    @Test
    void streamingOnlyTheShownSlicesDrawsTheSameImagesAsTheWholeVolumes(@TempDir Path dir) throws Exception {
        // a permuted, flipped grid, so that every plane's slices lie across a different file axis than usual
        Geometry grid = new Geometry(12, 9, 7, new double[] {2, 1.5, 3}, new double[] {5, -3, 8},
                new double[] {0, 0, 1, -1, 0, 0, 0, 1, 0});
        Volume ct = Volume.allocate(grid, DataType.INT16);
        Volume labels = Volume.allocate(grid, DataType.UINT8);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int n = 0; n < ct.voxels().length(); n++) {
            ct.voxels().set(n, random.nextInt(-50, 120));
            labels.voxels().set(n, random.nextInt(4) == 0 ? random.nextInt(1, 21) : 0);
        }
        Path ctFile = dir.resolve("ct.nii.gz");
        Path labelsFile = dir.resolve("labels.nii.gz");
        NiftiWriter.write(ct, ctFile);
        NiftiWriter.write(labels, labelsFile);

        Map<Plane, List<OverlayRenderer.Overlay>> whole = OverlayRenderer.render(ct, labels, 0, 80);
        Map<Plane, List<OverlayRenderer.Overlay>> streamed = StreamedOverlays.render(ctFile, labelsFile,
                new VolumeLimits(1 << 20, 1 << 24, 600), 0, 80);

        for (Plane p : Plane.values()) {
            for (int i = 0; i < OverlayRenderer.SLICE_FRACTIONS.length; i++) {
                OverlayRenderer.Overlay a = whole.get(p).get(i);
                OverlayRenderer.Overlay b = streamed.get(p).get(i);
                assertThat(b.slice()).as(p + " " + i).isEqualTo(a.slice());
                assertThat(b.png()).as(p + " " + i).isEqualTo(a.png());
            }
        }
    }

    @Test
    void gridsMustAgree() {
        Volume ct = Volume.allocate(GRID, DataType.INT16);
        Volume other = Volume.allocate(Geometry.axisAligned(20, 10, 7, new double[] {1, 2, 4}, new double[3]), DataType.UINT8);
        assertThatThrownBy(() -> OverlayRenderer.render(ct, other, 0, 80)).hasMessageContaining("not the CT's");
    }

    @Test
    void rightLabelsAreTheirLeftTwinsLightened() {
        int left = LabelPalette.rgb(3);
        int right = LabelPalette.rgb(13);
        assertThat(rgb(right)[0]).isGreaterThanOrEqualTo(rgb(left)[0]);
        assertThat(right).isNotEqualTo(left);
        assertThat(LabelPalette.css(1)).isEqualTo("#1f77b4");
        assertThatThrownBy(() -> LabelPalette.rgb(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BufferedImage image(OverlayRenderer.Overlay o) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(o.png()));
    }

    private static int[] rgb(int v) {
        return new int[] {(v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF};
    }

    private static int mix(int grey, int colour) {
        int[] c = rgb(colour);
        int r = (int) Math.round(0.5 * grey + 0.5 * c[0]);
        int g = (int) Math.round(0.5 * grey + 0.5 * c[1]);
        int b = (int) Math.round(0.5 * grey + 0.5 * c[2]);
        return r << 16 | g << 8 | b;
    }
}
