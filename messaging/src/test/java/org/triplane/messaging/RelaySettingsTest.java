package org.triplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {

    @Test
    void backoffDoublesUpToTheCap() {
        RelaySettings s = new RelaySettings(10, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(3));

        assertThat(s.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(s.backoff(3)).isEqualTo(Duration.ofMillis(2000));
        assertThat(s.backoff(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.backoff(1000)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void invalidFieldsAreNamed() {
        assertThatThrownBy(() -> new RelaySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessageStartingWith("batchSize");
        assertThatThrownBy(() -> new RelaySettings(1, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessageStartingWith("sendTimeout");
        assertThatThrownBy(() -> new RelaySettings(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(1))).hasMessageStartingWith("maxBackoff");
    }
}
