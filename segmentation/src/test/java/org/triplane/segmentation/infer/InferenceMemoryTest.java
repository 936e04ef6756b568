package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.triplane.segmentation.model.UNetConfig;

class InferenceMemoryTest {
    @Test
    void studyPresetAt512InFloat32AndFloat16() {
        // per pixel: input 1·(4+4) + activations 8·32·4 + logits 21·(4+12) = 1368 bytes; × 512·512
        assertEquals(358_612_992L, InferenceMemory.bytesPerSlice(UNetConfig.study(1), 512, 512, Precision.FLOAT32));
        // per pixel: 1·(4+2) + 8·32·2 + 21·(2+12) = 812 bytes
        assertEquals(212_860_928L, InferenceMemory.bytesPerSlice(UNetConfig.study(1), 512, 512, Precision.FLOAT16));
    }

    @Test
    void atlasInputsAddTheirChannelsAndThePrior() {
        // small preset, 26 channels: 26·(4+4) + 8·8·4 + 21·(4+12) + 21·8 = 208 + 256 + 336 + 168 = 968 bytes per pixel
        assertEquals(968L * 112 * 128, InferenceMemory.bytesPerSlice(UNetConfig.small(26), 112, 128, Precision.FLOAT32));
    }

    @Test
    void refusesAnEmptySlice() {
        assertThrows(IllegalArgumentException.class,
                () -> InferenceMemory.bytesPerSlice(UNetConfig.small(2), 0, 128, Precision.FLOAT32));
    }
}
