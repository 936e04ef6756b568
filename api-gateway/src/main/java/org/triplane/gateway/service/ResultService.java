package org.triplane.gateway.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.results.MetricPlane;
import org.triplane.objectstore.ObjectStore;

/**
 * A job's results and per-class metrics as the fusion-worker recorded them, and downloads of the
 * result objects. Reads only: a finished job's results never change (a re-run is a new job).
 */
@ApplicationScoped
public class ResultService {

    private final Databases db;
    private final ObjectStore objects;
    private final ObjectMapper json;

    @Inject
    public ResultService(Databases db, ObjectStore objects, ObjectMapper json) {
        this.db = db;
        this.objects = objects;
        this.json = json;
    }

    /**
     * @param job     the job
     * @param results one per scan that has one, ordered by scan id
     */
    public record JobResults(Job job, List<FusedResult> results) {
    }

    /**
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @return its results, empty when the job is absent or another tenant's
     */
    public Optional<JobResults> results(UUID tenantId, UUID jobId) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Job> job = Jobs.find(c, jobId);
            if (job.isEmpty()) {
                return Optional.<JobResults>empty();
            }
            return Optional.of(new JobResults(job.get(), AuditQueries.fusedResults(c, jobId)));
        });
    }

    /**
     * @param tenantId   the asking tenant
     * @param jobId      the job
     * @param plane      only this prediction, or {@code null}
     * @param classLabel only this class, or {@code null}
     * @param scanId     only this scan, or {@code null}
     * @return the matching rows, empty when the job is absent or another tenant's
     */
    public Optional<List<ClassMetric>> metrics(UUID tenantId, UUID jobId, MetricPlane plane, Integer classLabel,
                                               UUID scanId) {
        return db.app().inTenant(tenantId, c -> {
            if (Jobs.find(c, jobId).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(AuditQueries.classMetrics(c, jobId, plane, classLabel, scanId));
        });
    }

    /**
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @param scanId   one of its scans
     * @param name     an object name of {@link ResultObjects}
     * @return the object's content (close it)
     * @throws RequestRejected 404 naming what is absent: job, result or object
     */
    public InputStream open(UUID tenantId, UUID jobId, UUID scanId, String name) {
        FusedResult r = db.app().inTenant(tenantId, c -> {
            if (Jobs.find(c, jobId).isEmpty()) {
                throw RequestRejected.notFound("id", "job " + jobId + " not found");
            }
            return FusedResults.find(c, jobId, scanId).orElseThrow(() ->
                    RequestRejected.notFound("scanId", "job " + jobId + " has no result for scan " + scanId));
        });
        var named = ResultObjects.of(r, json);
        String key = named.get(name);
        if (key == null) {
            throw RequestRejected.notFound("name", "no result object '" + name + "'; this result has " + named.keySet());
        }
        return objects.get(key).orElseThrow(() -> RequestRejected.notFound("name", "result object '" + name
                + "' is recorded but not in the store"));
    }
}
