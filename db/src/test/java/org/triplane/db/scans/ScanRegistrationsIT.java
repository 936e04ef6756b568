package org.triplane.db.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * A scan's transform origin and its atlas registration: an uploaded transform is recorded as such
 * and never replaced by a derived one; a derived one and the registration row are upserts, so a
 * redone preprocess task leaves one of each.
 */
class ScanRegistrationsIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final ScanTransform DERIVED = new ScanTransform(
            List.of(1.0, 0.0, 0.0, 0.0, 0.9848, -0.1736, 0.0, 0.1736, 0.9848, 0.5, -1.0, 2.0),
            List.of(0.0, 0.0, -60.0), List.of(10.0, 0.0, 0.0));

    @Test
    void anUploadedTransformIsRecordedAsUploadedAndWinsOverADerivedOne() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "uploaded-wins")).id();
        Scan uploaded = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build()));
        assertThat(uploaded.transformOrigin()).isEqualTo(TransformOrigin.UPLOADED);

        Scan after = db.worker().run(c -> Scans.recordDerivedTransform(c, uploaded.id(),
                new StoredObject("other/transform.txt", "a".repeat(64), 200), DERIVED)).orElseThrow();

        assertThat(after.transformFile()).isEqualTo(uploaded.transformFile());
        assertThat(after.transform()).isEqualTo(uploaded.transform());
        assertThat(after.transformOrigin()).isEqualTo(TransformOrigin.UPLOADED);
    }

    @Test
    void aDerivedTransformFillsTheScanOnceEvenWhenRecordedTwice() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "derived")).id();
        Scan bare = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).optTransform(null, null).build()));
        assertThat(bare.transformFile()).isNull();
        assertThat(bare.transformOrigin()).isNull();
        StoredObject file = new StoredObject("tenants/" + tenant + "/scans/" + bare.id() + "/registration/transform.txt",
                "b".repeat(64), 321);

        for (int delivery = 0; delivery < 2; delivery++) {
            db.worker().run(c -> Scans.recordDerivedTransform(c, bare.id(), file, DERIVED));
        }

        Scan derived = db.app().inTenant(tenant, c -> Scans.find(c, bare.id())).orElseThrow();
        assertThat(derived.transformFile()).isEqualTo(file);
        assertThat(derived.transform()).isEqualTo(DERIVED);
        assertThat(derived.transformOrigin()).isEqualTo(TransformOrigin.DERIVED);
    }

    @Test
    void aRegistrationIsOneRowPerScanVisibleOnlyToItsTenant() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "registered")).id();
        UUID other = db.app().run(c -> Tenants.create(c, "someone-else")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        List<Double> scanToAtlas = List.of(1.02, 0.0, 0.0, 0.0, 0.98, 0.0, 0.0, 0.0, 1.0, 3.0, -4.0, 5.0);
        List<Double> rotatedToAtlas = List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 3.0);
        for (double quality : new double[] {0.97, 0.98}) {
            db.worker().run(c -> ScanRegistrations.upsert(c, new ScanRegistration(tenant, scan,
                    ScanRegistration.ATLAS_AFFINE_NCC, quality, scanToAtlas, List.of(0.0, 0.0, -60.0), rotatedToAtlas,
                    1.25, null)));
        }

        ScanRegistration stored = db.app().inTenant(tenant, c -> ScanRegistrations.find(c, scan)).orElseThrow();
        assertThat(stored.quality()).isEqualTo(0.98);
        assertThat(stored.method()).isEqualTo("atlas-affine-ncc");
        assertThat(stored.scanToAtlasParameters()).isEqualTo(scanToAtlas);
        assertThat(stored.rotatedToAtlas()).isEqualTo(rotatedToAtlas);
        assertThat(stored.seconds()).isEqualTo(1.25);
        assertThat(stored.registeredAt()).isNotNull();
        long rows = db.worker().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM scan_registrations WHERE scan_id = ?")) {
                ps.setObject(1, scan);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(rows).isEqualTo(1);
        java.util.Optional<ScanRegistration> seenByOther = db.app().inTenant(other, c -> ScanRegistrations.find(c, scan));
        assertThat(seenByOther).isEmpty();
    }

    @Test
    void theDeformableStageIsStoredWithTheRowAndAnAffineRedoClearsIt() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "deformed")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        List<Double> affine = List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0);
        List<Double> warp = new java.util.ArrayList<>(List.of(-20.0, -30.0, -10.0, 10.0, 2.0, 2.0, 2.0));
        for (int i = 0; i < 24; i++) {
            warp.add(i * 0.125 - 1);
        }
        db.worker().run(c -> ScanRegistrations.upsert(c, new ScanRegistration(tenant, scan,
                ScanRegistration.ATLAS_AFFINE_NCC, 0.98, affine, List.of(0.0, 0.0, 0.0), affine, 1.0, null, warp, 2.5)));
        ScanRegistration stored = db.app().inTenant(tenant, c -> ScanRegistrations.find(c, scan)).orElseThrow();
        assertThat(stored.deformable()).isTrue();
        assertThat(stored.atlasWarp()).isEqualTo(warp);
        assertThat(stored.warpSeconds()).isEqualTo(2.5);

        db.worker().run(c -> ScanRegistrations.upsert(c, new ScanRegistration(tenant, scan,
                ScanRegistration.ATLAS_AFFINE_NCC, 0.98, affine, List.of(0.0, 0.0, 0.0), affine, 1.0, null)));
        ScanRegistration redone = db.app().inTenant(tenant, c -> ScanRegistrations.find(c, scan)).orElseThrow();
        assertThat(redone.deformable()).isFalse();
        assertThat(redone.warpSeconds()).isNull();
        assertThatThrownBy(() -> new ScanRegistration(tenant, scan, ScanRegistration.ATLAS_AFFINE_NCC, 0.98, affine,
                List.of(0.0, 0.0, 0.0), affine, 1.0, null, warp, null)).hasMessageContaining("warpSeconds");
    }

    @Test
    void aRegistrationOutsideTheQualityRangeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new ScanRegistration(UUID.randomUUID(), UUID.randomUUID(), "atlas-affine-ncc", 1.5,
                List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0), List.of(0.0, 0.0, 0.0),
                List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0), 1, null))
                .hasMessageContaining("quality");
    }
}
