package org.triplane.preprocess.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.worker.run.PoisonInputException;

class WindowedVolumeMakerTest {
    @TempDir
    Path dir;

    private final WindowedVolumeMaker maker = new WindowedVolumeMaker(1);

    /** 3×2×2 int16 HU, x fastest: air, window edges, inside, above the window. */
    private Path tinyCt() throws Exception {
        Volume ct = Volume.allocate(Geometry.axisAligned(3, 2, 2, new double[]{1, 1, 2}, new double[]{0, 0, 0}), DataType.INT16);
        double[] hu = {-1024, -124, 0, 130, 131, 40, 5, -125, 129, 3000, -124, 10};
        for (int i = 0; i < hu.length; i++) {
            ct.voxels().set(i, hu[i]);
        }
        Path file = dir.resolve("ct.nii.gz");
        NiftiWriter.write(ct, file);
        return file;
    }

    @Test
    void theIdentityTransformOnlyWindowsEachVoxel() throws Exception {
        Path tf = dir.resolve("identity.txt");
        ItkTransformFile.write(AffineTransform.identity(), tf);

        Volume out = maker.make(tinyCt(), tf, Window.STUDY);

        assertThat(out.type()).isEqualTo(DataType.UINT8);
        byte[] bytes = ((VoxelBuffer.UInt8) out.voxels()).data;
        int[] expected = {0, 0, 124, 254, 0, 164, 129, 0, 253, 0, 0, 134};
        for (int i = 0; i < expected.length; i++) {
            assertThat(bytes[i] & 0xFF).as("voxel %d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void theWrittenVolumeReadsBackWithTheSameGridAndBytes() throws Exception {
        Path tf = dir.resolve("identity.txt");
        ItkTransformFile.write(AffineTransform.identity(), tf);
        Volume out = maker.make(tinyCt(), tf, Window.STUDY);
        Path file = dir.resolve("out.nii.gz");

        WindowedVolumeMaker.write(out, file);
        Volume back = NiftiReader.read(file);

        assertThat(back.type()).isEqualTo(DataType.UINT8);
        assertThat(back.geometry().sameGrid(out.geometry(), 1e-6)).isTrue();
        assertThat(((VoxelBuffer.UInt8) back.voxels()).data).isEqualTo(((VoxelBuffer.UInt8) out.voxels()).data);
    }

    @Test
    void aScaledMatrixIsRefusedAsNotARotation() throws Exception {
        Path tf = dir.resolve("scaled.txt");
        ItkTransformFile.write(new AffineTransform(new double[]{2, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3], new double[3]), tf);
        Path ct = tinyCt();

        assertThatThrownBy(() -> maker.make(ct, tf, Window.STUDY)).isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("not a rotation");
    }

    @Test
    void aFileThatIsNotNiftiIsPoison() throws Exception {
        Path tf = dir.resolve("identity.txt");
        ItkTransformFile.write(AffineTransform.identity(), tf);
        Path ct = dir.resolve("bad.nii.gz");
        Files.writeString(ct, "not a volume", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> maker.make(ct, tf, Window.STUDY)).isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("CT is not a readable NIfTI volume");
    }

    @Test
    void aTransformFileWithNaNIsPoison() throws Exception {
        Path tf = dir.resolve("nan.txt");
        Files.writeString(tf, "#Insight Transform File V1.0\n#Transform 0\nTransform: AffineTransform_double_3_3\n"
                + "Parameters: NaN 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n");
        Path ct = tinyCt();

        assertThatThrownBy(() -> maker.make(ct, tf, Window.STUDY)).isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("transform file is invalid");
    }
}
