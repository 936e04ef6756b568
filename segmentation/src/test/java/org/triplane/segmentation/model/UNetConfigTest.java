package org.triplane.segmentation.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UNetConfigTest {

    /**
     * Weights of the U-Net counted layer by layer, straight from the architecture text: 3×3 kernels
     * without bias, BatchNorm with scale, shift, running mean and running variance, upsampling without
     * weights, final 1×1 with bias.
     */
    static long countByLayers(int depth, int base, int inChannels, int classes, boolean runningStats) {
        long bn = runningStats ? 4 : 2;
        long total = 0;
        int previous = inChannels;
        for (int level = 0; level < depth; level++) {
            int f = base * (int) Math.pow(2, level);
            total += 3 * 3 * previous * f + bn * f;   // first conv + BN
            total += 3 * 3 * f * f + bn * f;          // second conv + BN
            previous = f;
        }
        int bottleneck = base * (int) Math.pow(2, depth);
        total += 3 * 3 * previous * bottleneck + bn * bottleneck + 3 * 3 * bottleneck * bottleneck + bn * bottleneck;
        previous = bottleneck;
        for (int level = depth - 1; level >= 0; level--) {
            int f = base * (int) Math.pow(2, level);
            total += 3 * 3 * (f + previous) * f + bn * f;    // conv on [skip (f), upsampled (previous)]
            total += 3 * 3 * f * f + bn * f;
            previous = f;
        }
        return total + previous * classes + classes;
    }

    /** The study's network, as the study describes it, has "about 31 M" weights. */
    @Test
    void studyPresetWeightCount() {
        UNetConfig study = UNetConfig.preset("study", 1);
        assertEquals(5, study.depth());
        assertEquals(32, study.baseFilters());
        assertEquals(0.3, study.dropout());
        assertEquals(21, study.classes());
        long expected = countByLayers(5, 32, 1, 21, true);
        assertEquals(expected, study.weightCount());
        assertEquals(countByLayers(5, 32, 1, 21, false), study.trainableWeightCount());
        assertEquals(31_460_821, expected);
    }

    @Test
    void presetsByNameAndChannels() {
        assertEquals(new UNetConfig(4, 8, 0.3, 0.02, 2, 21), UNetConfig.preset("SMALL", 2));
        assertEquals(3, UNetConfig.preset("tiny", 1).depth());
        assertEquals(4, UNetConfig.preset("tiny", 1).baseFilters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UNetConfig.preset("huge", 1));
        assertTrue(e.getMessage().contains("huge"));
    }

    @Test
    void validationNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(0, 8, 0, 0, 1, 21))
                .getMessage().contains("depth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(3, 0, 0, 0, 1, 21))
                .getMessage().contains("baseFilters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(3, 8, 1.0, 0, 1, 21))
                .getMessage().contains("dropout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(3, 8, 0, -1, 1, 21))
                .getMessage().contains("inputNoiseStd"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(3, 8, 0, 0, 3, 21))
                .getMessage().contains("inputChannels"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UNetConfig(3, 8, 0, 0, 1, 1))
                .getMessage().contains("classes"));
    }

    @Test
    void sliceSizeMustBeAMultipleOfTwoToTheDepth() {
        UNetConfig tiny = UNetConfig.tiny(1);
        tiny.checkSliceSize(32, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny.checkSliceSize(32, 12));
        assertTrue(e.getMessage().contains("32x12") && e.getMessage().contains("8"), e.getMessage());
    }

    @Test
    void describeIsOneJsonObjectWithArchitectureAndParameters() {
        String json = UNetConfig.small(2).describe();
        assertEquals("{\"architecture\":\"" + UNetConfig.ARCHITECTURE + "\",\"depth\":4,\"baseFilters\":8,\"dropout\":0.3,"
                + "\"inputNoiseStd\":0.02,\"inputChannels\":2,\"classes\":21,\"weights\":"
                + countByLayers(4, 8, 2, 21, true) + "}", json);
    }
}
