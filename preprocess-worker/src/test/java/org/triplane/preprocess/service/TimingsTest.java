package org.triplane.preprocess.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimingsTest {
    @Test
    void jsonNamesEachPhaseWithItsUnit() {
        assertThat(new Timings(12, 870, 340, 410, 5).toJson())
                .isEqualTo("{\"download_ms\":12,\"register_ms\":870,\"rotate_window_ms\":340,\"mask_atlas_ms\":410,\"upload_ms\":5}");
    }
}
