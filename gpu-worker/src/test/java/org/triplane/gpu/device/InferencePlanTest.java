package org.triplane.gpu.device;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.segmentation.infer.Precision;
import org.triplane.segmentation.model.UNetConfig;

class InferencePlanTest {
    private static final long GIB = 1L << 30;

    @Test
    void theCpuRunsTheConfiguredBatchAndNeverAsksForMemory() {
        List<Device> asked = new ArrayList<>();
        InferencePlan plan = new InferencePlan(Device.cpu(), Precision.FLOAT32, 8, 64, d -> {
            asked.add(d);
            return GIB;
        });
        assertThat(plan.batchSize(UNetConfig.study(1), 512, 512)).isEqualTo(8);
        assertThat(asked).isEmpty();
        assertThat(plan.healthData()).containsEntry("precision", "float32").containsEntry("batchSize", 8)
                .containsEntry("batchSizeRule", "configured (triplane.gpu.batch-size)");
    }

    @Test
    void aGpuChoosesFromItsFreeMemoryAtEachTaskInItsPrecision() {
        long[] free = {8 * GIB};
        List<Device> asked = new ArrayList<>();
        InferencePlan plan = new InferencePlan(Device.gpu(0), Precision.FLOAT16, 8, 64, d -> {
            asked.add(d);
            return free[0];
        });
        assertThat(plan.healthData()).containsEntry("batchSize", 0);
        // study at 512² in float16: 812 bytes per pixel, 212,860,928 per slice; 0.8 × 8 GiB / that = 32.3
        assertThat(plan.batchSize(UNetConfig.study(1), 512, 512)).isEqualTo(32);
        free[0] = 2 * GIB; // 0.8 × 2 GiB / 212,860,928 = 8.07
        assertThat(plan.batchSize(UNetConfig.study(1), 512, 512)).isEqualTo(8);
        assertThat(asked).containsExactly(Device.gpu(0), Device.gpu(0));
        assertThat(plan.healthData()).containsEntry("precision", "float16").containsEntry("batchSize", 8)
                .containsEntry("batchSizeRule", "free device memory, at most 64 (triplane.gpu.max-batch-size)");
    }
}
