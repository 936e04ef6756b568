package org.triplane.preprocess.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.ScanTransform;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.resample.Window;
import org.triplane.worker.run.PoisonInputException;

class ScanRecordsTest {
    @Test
    void theBrainWindowIsTheStudyWindow() {
        assertThat(ScanRecords.window(HuWindow.BRAIN)).isEqualTo(Window.STUDY);
    }

    @Test
    void aWindowWiderThanOneByteIsPoison() {
        assertThatThrownBy(() -> ScanRecords.window(new HuWindow(-1000, 1000))).isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("one byte");
    }

    @Test
    void aRotationAboutZIsRecordedWithItsParametersCentreAndDegrees() {
        double c = Math.cos(Math.toRadians(30));
        double s = Math.sin(Math.toRadians(30));
        AffineTransform t = new AffineTransform(new double[]{c, -s, 0, s, c, 0, 0, 0, 1}, new double[]{1, 2, 3},
                new double[]{4, 5, 6});

        ScanTransform r = ScanRecords.transform(t);

        assertThat(r.parameters()).hasSize(12).endsWith(4.0, 5.0, 6.0);
        assertThat(r.centreMm()).isEqualTo(List.of(1.0, 2.0, 3.0));
        assertThat(r.eulerDeg().get(2)).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.eulerDeg().get(0)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
    }
}
