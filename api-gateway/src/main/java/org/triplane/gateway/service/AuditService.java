package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.outbox.DeadLetters;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.MetricSummary;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.Scans;

/**
 * A job's whole record in one read (one transaction, so its parts agree): who submitted what and
 * when, the scans with their checksums (stored and as uploaded), geometry, transform and window,
 * the model set with each model's training lineage, every task and state transition, the results,
 * a metric summary and the dead letters that name the job.
 */
@ApplicationScoped
public class AuditService {

    private final Databases db;

    @Inject
    public AuditService(Databases db) {
        this.db = db;
    }

    /**
     * @param details  the job, its scans' states, tasks and transitions
     * @param scans    the scan rows, in the order of {@code details.scans()}
     * @param modelSet the job's model set, or {@code null}
     * @param models   its models ordered by plane (empty without a set)
     * @param fusionWeights its learned fusion weights (what a job with {@code fusion=learned} fused with), or {@code null}
     * @param results  the fused results, one per scan that has one
     * @param metrics  per scan and prediction, mean IoU and Dice over the regions
     * @param folds    a k-fold train job's fold sets (by fold) with their models; empty for every other job
     * @param registrations the scans' atlas registrations by scan id (scans not yet preprocessed have none)
     * @param deadLetters   input a worker gave up on that names this job, oldest first
     */
    public record Audit(JobService.JobDetails details, List<Scan> scans, ModelSet modelSet, List<Model> models,
                        FusionWeights fusionWeights, List<FusedResult> results, List<MetricSummary> metrics,
                        List<ModelService.ModelSetDetails> folds, java.util.Map<UUID, ScanRegistration> registrations,
                        List<DeadLetter> deadLetters) {
    }

    /**
     * @param tenantId the asking tenant
     * @param jobId    the job
     * @return its record, empty when the job is absent or another tenant's
     */
    public Optional<Audit> audit(UUID tenantId, UUID jobId) {
        return db.app().inTenant(tenantId, c -> {
            Optional<Job> job = Jobs.find(c, jobId);
            if (job.isEmpty()) {
                return Optional.<Audit>empty();
            }
            JobService.JobDetails details = JobService.details(c, job.get());
            List<Scan> scans = new ArrayList<>();
            java.util.Map<UUID, ScanRegistration> registrations = new java.util.HashMap<>();
            for (JobScan js : details.scans()) {
                Scans.find(c, js.scanId()).ifPresent(scans::add);
                ScanRegistrations.find(c, js.scanId()).ifPresent(r -> registrations.put(js.scanId(), r));
            }
            UUID setId = job.get().modelSetId();
            ModelSet set = setId == null ? null : ModelSets.find(c, setId).orElse(null);
            List<Model> models = set == null ? List.of() : Models.ofSet(c, setId);
            FusionWeights weights = set == null ? null : ModelSetFusionWeights.find(c, setId).orElse(null);
            List<ModelService.ModelSetDetails> folds = new ArrayList<>();
            for (ModelSet fold : ModelSets.foldSetsOfTrainingJob(c, jobId)) {
                folds.add(new ModelService.ModelSetDetails(fold, Models.ofSet(c, fold.id()), List.of(),
                        ModelSetFusionWeights.find(c, fold.id()).orElse(null)));
            }
            return Optional.of(new Audit(details, scans, set, models, weights, AuditQueries.fusedResults(c, jobId),
                    AuditQueries.metricSummaries(c, jobId), folds, registrations, DeadLetters.ofJob(c, jobId)));
        });
    }
}
