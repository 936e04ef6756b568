package org.triplane.gateway.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.scans.HuWindow;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.TransformOrigin;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.gateway.service.Databases;
import org.triplane.gateway.service.RequestRejected;
import org.triplane.gateway.service.ResultDocumentReader;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;
import org.triplane.imaging.nifti.VolumeLimits;
import org.triplane.imaging.plane.Plane;
import org.triplane.objectstore.ObjectStore;

/**
 * A finished job's HTML report and its overlay images. Only a SUCCEEDED job has a report (its
 * results are final); any other state answers 409. The overlays are rendered on first request from
 * the stored CT and fused labels, streamed so that only the slices shown are held
 * ({@link StreamedOverlays}), a bounded number at a time ({@link RenderingGate}); they are kept in the
 * object store ({@link OverlayObjects}) for every replica and restart, and the recently viewed
 * scans' in memory ({@link OverlayCache}).
 */
@ApplicationScoped
public class ReportService {

    private static final Logger LOG = Logger.getLogger(ReportService.class);

    private final Databases db;
    private final ObjectStore objects;
    private final ObjectMapper json;
    private final OverlayCache cache;
    private final RenderingGate gate;
    private final OverlayObjects stored;
    private final VolumeLimits limits;

    @Inject
    public ReportService(Databases db, ObjectStore objects, ObjectMapper json, GatewayConfig config) {
        this.db = db;
        this.objects = objects;
        this.json = json;
        this.cache = new OverlayCache(config.report().overlayCacheScans());
        this.gate = new RenderingGate(config.report().renderingsAtOnce(), config.report().renderingWait());
        this.stored = new OverlayObjects(objects, json);
        this.limits = config.upload().volumeLimits();
    }

    /**
     * A report page with the policy to serve it under.
     *
     * @param html                  the page
     * @param contentSecurityPolicy for the response's {@code Content-Security-Policy} header
     */
    public record Page(String html, String contentSecurityPolicy) {
    }

    /**
     * The page a browser opens from this gateway: its scripts, styles and overlay images are links,
     * loaded as they come (the images rendered on their first request).
     *
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @param token    the report token the page's image links carry
     * @return the report page
     * @throws RequestRejected 404 when the job is absent or another tenant's, 409 when it has not succeeded
     */
    public Page page(UUID tenantId, UUID jobId, String token) {
        PageAssets assets = PageAssets.linkedFromGateway();
        return new Page(ReportPage.html(model(tenantId, jobId), assets, ReportPage.linkedImages(jobId, token), json),
                assets.headerPolicy());
    }

    /**
     * The page to download and keep: one file that opens from disk without this gateway, its
     * scripts, styles and every overlay image inside it (images as {@code data:} URIs, rendered now
     * when they were not yet). Its size grows with the scans shown: 0.22 MB of scripts and styles, and
     * about 0.25 MB of images per scan.
     *
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @return the report page
     * @throws RequestRejected 404 when the job is absent or another tenant's, 409 when it has not succeeded
     * @throws org.triplane.gateway.service.ServiceBusy when images cannot be rendered now (503, retry later)
     * @throws ReportIncomplete when a scan's images cannot be drawn from what is stored
     */
    public Page selfContainedPage(UUID tenantId, UUID jobId) {
        PageAssets assets = PageAssets.insidePage();
        Map<UUID, Map<Plane, List<OverlayRenderer.Overlay>>> images = new HashMap<>();
        ReportPage.OverlaySources inline = (scanId, plane, index) -> "data:image/png;base64," + Base64.getEncoder()
                .encodeToString(images.computeIfAbsent(scanId, s -> drawable(tenantId, jobId, s)).get(plane).get(index).png());
        return new Page(ReportPage.html(model(tenantId, jobId), assets, inline, json), assets.headerPolicy());
    }

    /** @throws ReportIncomplete when the scan's images cannot be drawn from what is stored */
    private Map<Plane, List<OverlayRenderer.Overlay>> drawable(UUID tenantId, UUID jobId, UUID scanId) {
        try {
            return overlays(tenantId, jobId, scanId);
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            throw new ReportIncomplete(scanId.toString(), "the overlay images of scan " + scanId + " cannot be drawn, so "
                    + "the report cannot hold them: " + e.getMessage(), e);
        }
    }

    /** @return the label colours as a style sheet */
    public String labelsCss() {
        return ReportPage.labelsCss();
    }

    ReportModel model(UUID tenantId, UUID jobId) {
        return db.app().inTenant(tenantId, c -> {
            Job job = finishedJob(Jobs.find(c, jobId).orElse(null), jobId);
            String setName = job.modelSetId() == null ? null
                    : ModelSets.find(c, job.modelSetId()).map(ModelSet::name).orElse(null);
            List<ModelSet> foldSets = ModelSets.foldSetsOfTrainingJob(c, jobId);
            List<FusedResult> results = AuditQueries.fusedResults(c, jobId);
            List<ReportModel.ScanSection> sections = new ArrayList<>();
            List<ConfusionMatrix> confusions = new ArrayList<>();
            for (FusedResult r : results) {
                ResultDocumentReader.evaluation(r, json).flatMap(e -> e.prediction(EvaluationDocument.FUSED))
                        .flatMap(EvaluationDocument.Prediction::confusionMatrix).ifPresent(confusions::add);
                if (sections.size() < ReportModel.MAX_SCAN_SECTIONS) {
                    Optional<Scan> scan = Scans.find(c, r.scanId());
                    String sha = scan.map(s -> s.ct().sha256()).orElse("");
                    String origin = scan.map(Scan::transformOrigin).map(TransformOrigin::wireName).orElse(null);
                    Optional<ScanRegistration> reg = ScanRegistrations.find(c, r.scanId());
                    sections.add(new ReportModel.ScanSection(r.scanId(), sha, r.fusionMethod(),
                            ResultDocumentReader.regionStatistics(r, json), origin,
                            reg.map(ScanRegistration::method).orElse(null), reg.map(ScanRegistration::quality).orElse(null)));
                }
            }
            List<ClassMetric> metrics = AuditQueries.classMetrics(c, jobId, null, null, null);
            return new ReportModel(job, setName, foldSets, List.copyOf(sections), results.size(),
                    ReportModel.evaluation(metrics, confusions));
        });
    }

    /**
     * @param tenantId the asking tenant
     * @param jobId    a SUCCEEDED job
     * @param scanId   one of its scans with a result
     * @param plane    the plane
     * @param index    0 .. {@link OverlayRenderer#SLICE_FRACTIONS}.length − 1
     * @return the overlay image
     * @throws RequestRejected 404 for an unknown job, scan, result or index; 409 for an unfinished job
     */
    public OverlayRenderer.Overlay overlay(UUID tenantId, UUID jobId, UUID scanId, Plane plane, int index) {
        if (index < 0 || index >= OverlayRenderer.SLICE_FRACTIONS.length) {
            throw RequestRejected.notFound("index", "overlays are numbered 0.." + (OverlayRenderer.SLICE_FRACTIONS.length - 1));
        }
        return overlays(tenantId, jobId, scanId).get(plane).get(index);
    }

    /** Every overlay of one scan: kept in memory, else stored, else rendered now (and stored). */
    private Map<Plane, List<OverlayRenderer.Overlay>> overlays(UUID tenantId, UUID jobId, UUID scanId) {
        Source source = db.app().inTenant(tenantId, c -> {
            finishedJob(Jobs.find(c, jobId).orElse(null), jobId);
            FusedResult r = FusedResults.find(c, jobId, scanId)
                    .orElseThrow(() -> RequestRejected.notFound("scanId", "job " + jobId + " has no result for scan " + scanId));
            Scan scan = Scans.find(c, scanId)
                    .orElseThrow(() -> RequestRejected.notFound("scanId", "scan " + scanId + " not found"));
            return new Source(scan.ct().key(), r.segmentationKey(), scan.window());
        });
        return cache.get(jobId, scanId, () -> stored.load(tenantId, jobId, scanId)
                .orElseGet(() -> {
                    Map<Plane, List<OverlayRenderer.Overlay>> rendered = gate.run(() -> render(source));
                    stored.store(tenantId, jobId, scanId, rendered);
                    return rendered;
                }));
    }

    private record Source(String ctKey, String labelsKey, HuWindow window) {
    }

    private Map<Plane, List<OverlayRenderer.Overlay>> render(Source s) {
        long start = System.nanoTime();
        Path ct = null;
        Path labels = null;
        try {
            ct = download(s.ctKey());
            labels = download(s.labelsKey());
            Map<Plane, List<OverlayRenderer.Overlay>> out = StreamedOverlays.render(ct, labels, limits,
                    s.window().lowHu(), s.window().highHu());
            LOG.debugf("rendered overlays of %s in %d ms", s.labelsKey(), (System.nanoTime() - start) / 1_000_000);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + s.ctKey() + " and " + s.labelsKey() + " for the report: "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(ct);
            deleteQuietly(labels);
        }
    }

    /** Copies an object to a temporary file, streamed (the caller deletes it). */
    private Path download(String key) throws IOException {
        Path tmp = Files.createTempFile("triplane-report-", key.endsWith(".gz") ? ".nii.gz" : ".nii");
        try (InputStream in = objects.get(key)
                .orElseThrow(() -> new IllegalStateException("object " + key + " is recorded but missing from the store"))) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("cannot delete temporary file %s: %s", file, e.getMessage());
            }
        }
    }

    private static Job finishedJob(Job job, UUID jobId) {
        if (job == null) {
            throw RequestRejected.notFound("id", "job " + jobId + " not found");
        }
        if (job.state() != JobState.SUCCEEDED) {
            throw new RequestRejected(409, "id", "job " + jobId + " is " + job.state() + ": a report exists only for a "
                    + "SUCCEEDED job, whose results are final");
        }
        return job;
    }
}
