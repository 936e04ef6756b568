package org.triplane.segmentation.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchSizingTest {
    private static final long GIB = 1L << 30;
    /** The study preset at 512 × 512 in float32: 1368 bytes per pixel (InferenceMemory). */
    private static final long STUDY_512_FLOAT32 = 358_612_992L;

    @Test
    void asManySlicesAsFitIntoFourFifthsOfTheFreeMemory() {
        // 0.8 × 8 GiB = 6,871,947,673 bytes; / 358,612,992 = 19.16
        assertEquals(19, BatchSizing.fromFreeMemory(8 * GIB, STUDY_512_FLOAT32, 64));
        // 0.8 × 24 GiB = 20,615,843,020 bytes; / 358,612,992 = 57.49
        assertEquals(57, BatchSizing.fromFreeMemory(24 * GIB, STUDY_512_FLOAT32, 64));
    }

    @Test
    void neverAboveTheCeiling() {
        assertEquals(64, BatchSizing.fromFreeMemory(80 * GIB, STUDY_512_FLOAT32, 64));
        assertEquals(16, BatchSizing.fromFreeMemory(8 * GIB, STUDY_512_FLOAT32, 16));
    }

    @Test
    void atLeastOneSliceEvenWhenNoneFits() {
        assertEquals(1, BatchSizing.fromFreeMemory(100_000_000L, STUDY_512_FLOAT32, 64));
        assertEquals(1, BatchSizing.fromFreeMemory(0, STUDY_512_FLOAT32, 64));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> BatchSizing.fromFreeMemory(GIB, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> BatchSizing.fromFreeMemory(GIB, 1000, 0));
    }
}
