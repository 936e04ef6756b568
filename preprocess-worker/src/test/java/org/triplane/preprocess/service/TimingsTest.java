package org.triplane.preprocess.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimingsTest {
    @Test
    void jsonNamesEachPhaseWithItsUnit() {
        assertThat(new Timings(12, 870, 340, 5).toJson())
                .isEqualTo("{\"download_ms\":12,\"register_ms\":870,\"rotate_window_ms\":340,\"upload_ms\":5}");
    }
}
