package org.triplane.gpu.device;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceTimingsTest {
    @Test
    void addsTheDeviceToATasksTimings() {
        Libtorch lib = new Libtorch("2.5.1", Path.of("/lib"), true, true, 1,
                new CudaVersions(Optional.of("12.4"), Optional.of("12.6"), Optional.of("9.1.0")));
        String timings = DeviceTimings.of("{\"infer_s\":1.500,\"batch_size\":8}", DeviceStatus.usable("cuda", Device.gpu(0), lib));
        assertThat(timings).isEqualTo("{\"infer_s\":1.5,\"batch_size\":8,\"device\":\"cuda:0\",\"libtorch\":\"2.5.1\","
                + "\"cuda\":\"12.4\",\"cudnn\":\"9.1.0\"}");
    }
}
