package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class PrecisionTest {
    @Test
    void parsesTheSettingsSpellings() {
        assertEquals(Precision.FLOAT32, Precision.parse("float32"));
        assertEquals(Precision.FLOAT32, Precision.parse(" FP32 "));
        assertEquals(Precision.FLOAT16, Precision.parse("float16"));
        assertEquals(Precision.FLOAT16, Precision.parse("half"));
    }

    @Test
    void bfloat16IsRefusedWithTheReasonInsteadOfAbortingTheProcess() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bfloat16"));
        assertEquals("bfloat16 is not available: DJL's PyTorch engine cannot make bfloat16 tensors (its JNI's type table"
                + " ends at float16, and a conversion to bfloat16 aborts the process); use float16", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
    }

    @Test
    void anotherValueIsRefusedNamingTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("int8"));
        assertEquals("bad precision 'int8' (expected float32 or float16)", e.getMessage());
    }

    @Test
    void float32OnTheCpuFloat16OnGpusWithTensorCores() {
        assertEquals(Precision.FLOAT32, Precision.defaultFor(Device.cpu(), "86"));
        assertEquals(Precision.FLOAT16, Precision.defaultFor(Device.gpu(0), "70"));
        assertEquals(Precision.FLOAT16, Precision.defaultFor(Device.gpu(1), "90"));
        assertEquals(Precision.FLOAT32, Precision.defaultFor(Device.gpu(0), "61"), "Pascal: float16 at a fraction of float32's rate");
        assertEquals(Precision.FLOAT32, Precision.defaultFor(Device.gpu(0), "unknown"));
    }
}
