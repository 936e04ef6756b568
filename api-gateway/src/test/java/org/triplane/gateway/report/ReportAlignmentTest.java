package org.triplane.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The report says how each scan was rotated: the transform's origin and the registration's method and quality. */
class ReportAlignmentTest {
    private static ReportModel.ScanSection section(String origin, String method, Double quality) {
        return new ReportModel.ScanSection(UUID.randomUUID(), "ab".repeat(32), "majority", null, origin, method, quality);
    }

    @Test
    void aDerivedTransformIsNamedWithTheRegistrationsMethodAndQuality() {
        assertThat(ReportPage.alignment(section("derived", "atlas-affine-ncc", 0.98765)))
                .isEqualTo("Transform: derived from the atlas registration; atlas registration atlas-affine-ncc, quality (NCC) 0.988.");
    }

    @Test
    void anUploadedTransformAndAScanWithoutARegistrationSaySo() {
        assertThat(ReportPage.alignment(section("uploaded", null, null)))
                .isEqualTo("Transform: uploaded with the CT; no atlas registration recorded.");
    }
}
