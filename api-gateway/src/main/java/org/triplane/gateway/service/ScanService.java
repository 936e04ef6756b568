package org.triplane.gateway.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.ListPosition;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanGeometry;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.ScanTransform;
import org.triplane.db.scans.ScanUpload;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tenants.Tenant;
import org.triplane.db.tenants.Tenants;
import org.triplane.events.ObjectKeys;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.EulerAngles;
import org.triplane.imaging.volume.Geometry;
import org.triplane.objectstore.ObjectStore;

/**
 * Accepts scans: validate every part, then store the objects, then commit the row. A scan exists
 * either completely (objects and row) or not at all: objects already stored are removed again when
 * a later step fails.
 *
 * <p>NIfTI parts are stored as {@link StoredNifti} makes them: de-identified when the tenant's
 * setting says so (read once per upload, and recorded with the scan, as the setting may change),
 * always gzip-compressed. The recorded size and SHA-256 of each object are those of the stored
 * bytes, which is what workers verify; the SHA-256 of each NIfTI part as uploaded is recorded beside
 * them ({@link ScanUpload}), since that is the checksum a client knows of its own file.
 *
 * <p>Objects go under {@code ObjectKeys.ct/transform/labels(tenant, folder)} with a fresh folder id;
 * the row records the exact keys, which is what every later step reads. (The row's id is assigned
 * by the database on insert, after the objects are stored, so the folder id is not the scan id.)
 */
@ApplicationScoped
public class ScanService {

    private static final Logger LOG = Logger.getLogger(ScanService.class);

    private static final String GZIP = "application/gzip";

    /** The objects a scan may have; {@link #wireName()} is how URLs and multipart parts name them. */
    public enum Part {
        CT, TRANSFORM, LABELS;

        /** @return e.g. {@code ct} */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** @param name e.g. {@code labels} @return the part, empty for an unknown name */
        public static Optional<Part> fromWireName(String name) {
            for (Part p : values()) {
                if (p.wireName().equals(name)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    private final Databases db;
    private final ObjectStore objects;
    private final UploadValidator validator;
    private final MeterRegistry metrics;
    private final Path tempDir;

    @Inject
    public ScanService(Databases db, ObjectStore objects, UploadValidator validator, MeterRegistry metrics,
                       GatewayConfig config) {
        this.db = db;
        this.objects = objects;
        this.validator = validator;
        this.metrics = metrics;
        this.tempDir = config.upload().tempDir().map(Path::of).orElse(null);
    }

    /**
     * @param tenantId  the uploading tenant
     * @param ct        the CT part (NIfTI-1, HU)
     * @param transform the ITK transform part, or {@code null} (the preprocess-worker then derives it)
     * @param labels    the label part, or {@code null}
     * @return the recorded scan
     * @throws RequestRejected 400 naming the part at fault; nothing is stored then
     */
    public Scan upload(UUID tenantId, UploadedPart ct, UploadedPart transform, UploadedPart labels) {
        ValidatedScan checked;
        try {
            checked = validator.validate(ct, transform, labels);
        } catch (RequestRejected e) {
            metrics.counter("triplane.uploads", "outcome", "rejected", "part", e.part()).increment();
            throw e;
        }
        boolean deidentify = deidentifies(tenantId);
        UUID folder = UUID.randomUUID();
        List<String> stored = new ArrayList<>();
        List<Path> scratch = new ArrayList<>();
        try {
            StoredObject ctObject = put(ObjectKeys.ct(tenantId, folder), storedForm(ct, deidentify, scratch), GZIP, stored);
            StoredObject transformObject = transform == null ? null
                    : put(ObjectKeys.transform(tenantId, folder), transform, "text/plain", stored);
            StoredObject labelsObject = labels == null ? null
                    : put(ObjectKeys.labels(tenantId, folder), storedForm(labels, deidentify, scratch), GZIP, stored);
            NewScan.Builder row = NewScan.builder()
                    .setTenantId(tenantId)
                    .setCt(ctObject)
                    .setGeometry(geometry(checked.ctGeometry()))
                    .optUpload(new ScanUpload(ct.sha256(), labels == null ? null : labels.sha256(), deidentify));
            if (transformObject != null) {
                row.optTransform(transformObject, transform(checked.transform()));
            }
            if (labelsObject != null) {
                row.optLabels(labelsObject);
            }
            NewScan scan = row.build();
            Scan saved = db.app().inTenant(tenantId, c -> Scans.insert(c, scan));
            metrics.counter("triplane.uploads", "outcome", "accepted", "part", "all").increment();
            return saved;
        } catch (RuntimeException e) {
            removeQuietly(stored, e);
            throw e;
        } finally {
            scratch.forEach(ScanService::deleteQuietly);
        }
    }

    /** @return whether the tenant stores its uploads de-identified */
    private boolean deidentifies(UUID tenantId) {
        return db.app().run(c -> Tenants.find(c, tenantId)).map(Tenant::deidentifyUploads)
                .orElseThrow(() -> new IllegalStateException("tenant " + tenantId + " vanished during its upload"));
    }

    private UploadedPart storedForm(UploadedPart part, boolean deidentify, List<Path> scratch) {
        UploadedPart form = StoredNifti.of(part, deidentify, tempDir);
        if (form != part) {
            scratch.add(form.file());
        }
        return form;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("cannot delete temporary file %s: %s", file, e.getMessage());
        }
    }

    private StoredObject put(String key, UploadedPart part, String contentType, List<String> stored) {
        stored.add(key);
        objects.put(key, part.file(), contentType);
        return new StoredObject(key, part.sha256(), part.sizeBytes());
    }

    private void removeQuietly(List<String> keys, RuntimeException cause) {
        for (String key : keys) {
            try {
                objects.delete(key);
            } catch (RuntimeException e) {
                LOG.errorf("upload failed (%s) and its object %s could not be removed: %s", cause.getMessage(), key,
                        e.getMessage());
                cause.addSuppressed(e);
            }
        }
    }

    /** Most scans one list call returns. */
    public static final int MAX_LIST = 1000;

    /**
     * @param tenantId the asking tenant
     * @param ctSha256 only scans whose CT has this SHA-256 (hex, any case), as stored or as uploaded, or {@code null}
     * @param after    where the previous page ended, or {@code null} for the first
     * @param limit    most scans returned, 1..{@link #MAX_LIST}
     * @return the tenant's matching scans, newest first (creation time, then id), and where the next page starts
     * @throws RequestRejected 400 for a checksum that is not 64 hex digits or a bad limit
     */
    public Page<Scan> list(UUID tenantId, String ctSha256, ListPosition after, int limit) {
        Page.checkLimit(limit, MAX_LIST);
        String sha = null;
        if (ctSha256 != null && !ctSha256.isBlank()) {
            sha = ctSha256.strip().toLowerCase(java.util.Locale.ROOT);
            if (!sha.matches("[0-9a-f]{64}")) {
                throw RequestRejected.badRequest("ctSha256", "not a SHA-256 (64 hex digits): " + ctSha256);
            }
        }
        String checksum = sha;
        List<Scan> fetched = db.app().inTenant(tenantId, c -> AuditQueries.listScans(c, checksum, after, limit + 1));
        return Page.of(fetched, limit, s -> new ListPosition(s.createdAt(), s.id()));
    }

    /**
     * @param tenantId the asking tenant
     * @param scanId   the scan
     * @return the scan, empty when absent or another tenant's
     */
    public Optional<Scan> find(UUID tenantId, UUID scanId) {
        return db.app().inTenant(tenantId, c -> Scans.find(c, scanId));
    }

    /**
     * A scan with its atlas registration.
     *
     * @param scan         the scan
     * @param registration its registration, {@code null} before it is preprocessed
     */
    public record ScanWithRegistration(Scan scan, ScanRegistration registration) {
    }

    /**
     * @param tenantId the asking tenant
     * @param scanId   the scan
     * @return the scan and its registration, empty when absent or another tenant's
     */
    public Optional<ScanWithRegistration> findWithRegistration(UUID tenantId, UUID scanId) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Scan> scan = Scans.find(c, scanId);
            if (scan.isEmpty()) {
                return Optional.<ScanWithRegistration>empty();
            }
            return Optional.of(new ScanWithRegistration(scan.get(), ScanRegistrations.find(c, scanId).orElse(null)));
        });
    }

    /**
     * @param tenantId the asking tenant
     * @param scanId   the scan
     * @param part     which object
     * @return its content (close it), empty when the scan or the object is absent or another tenant's
     */
    public Optional<InputStream> open(UUID tenantId, UUID scanId, Part part) {
        return find(tenantId, scanId).map(s -> switch (part) {
            case CT -> s.ct();
            case TRANSFORM -> s.transformFile();
            case LABELS -> s.labels();
        }).flatMap(o -> objects.get(o.key()));
    }

    private static ScanGeometry geometry(Geometry g) {
        return new ScanGeometry(List.of(g.nx(), g.ny(), g.nz()), boxed(g.spacing()), boxed(g.origin()), boxed(g.direction()));
    }

    private static ScanTransform transform(AffineTransform t) {
        List<Double> parameters = new ArrayList<>(boxed(t.matrix()));
        parameters.addAll(boxed(t.translation()));
        EulerAngles e = EulerAngles.of(t.matrix());
        return new ScanTransform(parameters, boxed(t.center()), List.of(e.xDegrees(), e.yDegrees(), e.zDegrees()));
    }

    private static List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
