package org.triplane.gpu.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchSizingTest {
    private static final long GIB = 1L << 30;
    /** The study preset at 512 × 512 in float32: 1368 bytes per pixel (InferenceMemory). */
    private static final long STUDY_512_FLOAT32 = 358_612_992L;

    @Test
    void asManySlicesAsFitIntoFourFifthsOfTheFreeMemory() {
        // 0.8 × 8 GiB = 6,871,947,673 bytes; / 358,612,992 = 19.16
        assertThat(BatchSizing.fromFreeMemory(8 * GIB, STUDY_512_FLOAT32, 64)).isEqualTo(19);
        // 0.8 × 24 GiB = 20,615,843,020 bytes; / 358,612,992 = 57.49
        assertThat(BatchSizing.fromFreeMemory(24 * GIB, STUDY_512_FLOAT32, 64)).isEqualTo(57);
    }

    @Test
    void neverAboveTheCeiling() {
        assertThat(BatchSizing.fromFreeMemory(80 * GIB, STUDY_512_FLOAT32, 64)).isEqualTo(64);
        assertThat(BatchSizing.fromFreeMemory(8 * GIB, STUDY_512_FLOAT32, 16)).isEqualTo(16);
    }

    @Test
    void atLeastOneSliceEvenWhenNoneFits() {
        assertThat(BatchSizing.fromFreeMemory(100_000_000L, STUDY_512_FLOAT32, 64)).isEqualTo(1);
        assertThat(BatchSizing.fromFreeMemory(0, STUDY_512_FLOAT32, 64)).isEqualTo(1);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> BatchSizing.fromFreeMemory(GIB, 0, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchSizing.fromFreeMemory(GIB, 1000, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
