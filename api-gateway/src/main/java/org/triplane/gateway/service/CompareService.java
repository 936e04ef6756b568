package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSets;
import org.triplane.db.results.MetricComparison;
import org.triplane.db.results.ModelSetComparison;

/**
 * Comparisons on the same scans: two jobs of the tenant, or two model sets through the tenant's
 * finished jobs. Per prediction and class the paired means of each metric and their difference
 * (b − a); see {@link MetricComparison}.
 */
@ApplicationScoped
public class CompareService {

    private final Databases db;

    @Inject
    public CompareService(Databases db) {
        this.db = db;
    }

    /**
     * @param a           the first job
     * @param b           the second job
     * @param commonScans scans both jobs ran on
     * @param metrics     per prediction and class, over the common scans both have metrics for
     */
    public record JobComparison(Job a, Job b, List<UUID> commonScans, List<MetricComparison> metrics) {
    }

    /**
     * @param tenantId the asking tenant
     * @param a        a job of the tenant
     * @param b        another (or the same) job of the tenant
     * @return the comparison
     * @throws RequestRejected 404 naming {@code a} or {@code b} when absent or another tenant's, 409
     *                         when the jobs share no scan
     */
    public JobComparison jobs(UUID tenantId, UUID a, UUID b) {
        return db.app().inTenant(tenantId, c -> {
            Job jobA = Jobs.find(c, a).orElseThrow(() -> RequestRejected.notFound("a", "job " + a + " not found"));
            Job jobB = Jobs.find(c, b).orElseThrow(() -> RequestRejected.notFound("b", "job " + b + " not found"));
            List<UUID> common = AuditQueries.commonScans(c, a, b);
            if (common.isEmpty()) {
                throw new RequestRejected(409, "b", "jobs " + a + " and " + b + " share no scan: nothing to compare");
            }
            return new JobComparison(jobA, jobB, common, AuditQueries.compareJobs(c, a, b));
        });
    }

    /**
     * @param a          the first set
     * @param b          the second set
     * @param comparison the common scans with the jobs used, and the metrics
     */
    public record SetComparison(ModelSet a, ModelSet b, ModelSetComparison comparison) {
    }

    /**
     * @param tenantId the asking tenant (only its finished jobs count)
     * @param a        a model set
     * @param b        another model set
     * @return the comparison
     * @throws RequestRejected 404 naming {@code a} or {@code b} for an unknown set, 409 when the
     *                         tenant has no scan evaluated by a finished job of each set
     */
    public SetComparison modelSets(UUID tenantId, UUID a, UUID b) {
        return db.app().inTenant(tenantId, c -> {
            ModelSet setA = ModelSets.find(c, a)
                    .orElseThrow(() -> RequestRejected.notFound("a", "model set " + a + " not found"));
            ModelSet setB = ModelSets.find(c, b)
                    .orElseThrow(() -> RequestRejected.notFound("b", "model set " + b + " not found"));
            ModelSetComparison comparison = AuditQueries.compareModelSets(c, a, b);
            if (comparison.scans().isEmpty()) {
                throw new RequestRejected(409, "b", "no scan was evaluated by a finished job of model set " + a
                        + " and one of model set " + b + ": nothing to compare");
            }
            return new SetComparison(setA, setB, comparison);
        });
    }
}
