package org.triplane.gpu.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaVersionsTest {
    @Test
    void readsCudaAndCudnnVersionNumbers() {
        assertThat(CudaVersions.cuda(12040)).isEqualTo("12.4");
        assertThat(CudaVersions.cuda(11080)).isEqualTo("11.8");
        assertThat(CudaVersions.cudnn(90100)).isEqualTo("9.1.0");
        assertThat(CudaVersions.cudnn(91002)).isEqualTo("9.10.2");
        assertThat(CudaVersions.cudnn(8902)).isEqualTo("8.9.2");
    }

    @Test
    void aFolderWithoutCudaLibrariesKnowsNothing(@TempDir Path dir) {
        assertThat(CudaVersions.of(dir)).isEqualTo(CudaVersions.NONE);
    }
}
