package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void choosesTheGpuOnlyWhenTheEngineReportsOne() {
        Device chosen = Devices.choose();
        assertEquals(Engine.getInstance().getGpuCount() > 0 ? "cuda:0" : "cpu", Devices.describe(chosen));
    }

    @Test
    void namesAndParsesDevices() {
        assertEquals("cpu", Devices.describe(Device.cpu()));
        assertEquals("cuda:1", Devices.describe(Device.gpu(1)));
        assertEquals(Device.gpu(0), Devices.parse("cuda:0"));
        assertEquals(Device.gpu(0), Devices.parse("cuda"));
        assertEquals(Device.cpu(), Devices.parse(" CPU "));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("cuda:x"));
    }

    @Test
    void threadsFollowThePropertyElseTheProcessorCount() {
        String old = System.getProperty(Devices.THREADS_PROPERTY);
        try {
            System.clearProperty(Devices.THREADS_PROPERTY);
            assertEquals(Runtime.getRuntime().availableProcessors(), Devices.threads());
            System.setProperty(Devices.THREADS_PROPERTY, "3");
            assertEquals(3, Devices.threads());
            assertThrows(IllegalArgumentException.class, () -> Devices.applyThreads(0));
        } finally {
            if (old == null) {
                System.clearProperty(Devices.THREADS_PROPERTY);
            } else {
                System.setProperty(Devices.THREADS_PROPERTY, old);
            }
        }
    }
}
