package org.triplane.db.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aScan;
import static org.triplane.db.testing.TestData.anObject;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.tenants.Tenant;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * A tenant's de-identification setting (on unless created or set off; the app role may change it
 * and nothing else of the tenant) and a scan's record of its upload: the checksums of the parts as
 * uploaded, by which the scan is found as by its stored checksum, and whether it was de-identified.
 */
class UploadDeidentificationIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void aTenantDeidentifiesUnlessCreatedOrSetOtherwise() {
        Tenant byDefault = db.app().run(c -> Tenants.create(c, "deid-default"));
        Tenant off = db.app().run(c -> Tenants.create(c, "deid-off", false));

        assertThat(byDefault.deidentifyUploads()).isTrue();
        assertThat(off.deidentifyUploads()).isFalse();
        assertThat(db.app().<Optional<Tenant>>run(c -> Tenants.find(c, off.id()))).contains(off);

        Tenant on = db.app().<Optional<Tenant>>run(c -> Tenants.setDeidentifyUploads(c, off.id(), true)).orElseThrow();
        assertThat(on.deidentifyUploads()).isTrue();
        assertThat(on.name()).isEqualTo("deid-off");
        assertThat(db.app().<Optional<Tenant>>run(c -> Tenants.find(c, off.id())).orElseThrow().deidentifyUploads()).isTrue();
        assertThat(db.app().<Optional<Tenant>>run(c -> Tenants.setDeidentifyUploads(c, UUID.randomUUID(), false))).isEmpty();
        assertThat(db.app().<Optional<Tenant>>run(c -> Tenants.find(c, UUID.randomUUID()))).isEmpty();
    }

    @Test
    void theAppRoleChangesNothingElseOfATenant() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "deid-name")).id();

        assertThatThrownBy(() -> db.app().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tenants SET name = 'renamed' WHERE id = ?")) {
                ps.setObject(1, tenant);
                return ps.executeUpdate();
            }
        })).hasStackTraceContaining("permission denied");
    }

    @Test
    void aScanRecordsItsUploadAndIsFoundByEitherChecksum() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "deid-scans")).id();
        UUID other = db.app().run(c -> Tenants.create(c, "deid-other")).id();
        String uploadedCt = "c".repeat(64);
        String uploadedLabels = "d".repeat(64);
        Scan scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant)
                .optLabels(anObject("scans/x/labels.nii.gz", 900L))
                .optUpload(new ScanUpload(uploadedCt, uploadedLabels, true)).build()));
        Scan before = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build()));

        assertThat(scan.upload()).isEqualTo(new ScanUpload(uploadedCt, uploadedLabels, true));
        assertThat(before.upload()).as("nothing recorded: stored as uploaded").isEqualTo(new ScanUpload(null, null, false));
        assertThat(db.app().<List<Scan>>inTenant(tenant, c -> AuditQueries.scansByCtSha256(c, uploadedCt)))
                .extracting(Scan::id).containsExactly(scan.id());
        assertThat(db.app().<List<Scan>>inTenant(tenant, c -> AuditQueries.scansByCtSha256(c, scan.ct().sha256())))
                .extracting(Scan::id).containsExactly(scan.id());
        assertThat(db.app().<List<Scan>>inTenant(other, c -> AuditQueries.scansByCtSha256(c, uploadedCt))).isEmpty();
    }

    @Test
    void aLabelsChecksumNeedsALabelsObject() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "deid-labels")).id();

        assertThatThrownBy(() -> aScan(tenant).optUpload(new ScanUpload("c".repeat(64), "d".repeat(64), true)).build())
                .hasMessageContaining("labels");
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        assertThatThrownBy(() -> db.app().inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE scans SET labels_uploaded_sha256 = ? WHERE id = ?")) {
                ps.setString(1, "d".repeat(64));
                ps.setObject(2, scan);
                return ps.executeUpdate();
            }
        })).hasStackTraceContaining("scans_labels_uploaded_object_check");
    }
}
