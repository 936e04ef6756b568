package org.triplane.gateway.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.scans.Scan;
import org.triplane.gateway.service.AuditService;

/**
 * Everything recorded about one job, in one document: who submitted what and when (with the
 * code version and parameters), each input scan with its checksums (stored and as uploaded, and
 * whether it was stored de-identified), grid, transform (parameters, centre, Euler angles) and HU
 * window, the model set with each model's training lineage, every task (worker, device, attempt,
 * timings in seconds), every state transition (time, actor or worker, attempt, reason), the results,
 * a per-scan metric summary and the dead letters (input a worker gave up on, with the reason).
 * Instants are UTC.
 *
 * @param job         the job: kind, state, requester, idempotency key, parameters, model set, code
 *                    version, timestamps, error (scans, tasks and transitions are the fields below)
 * @param scans       per input scan its row and its state within this job
 * @param modelSet    the model set with its models, or {@code null}
 * @param tasks       every task, oldest first
 * @param transitions every state change of the job, its scans and tasks, in log order
 * @param results     the results per scan (evaluation without confusion matrices)
 * @param metrics     per scan and prediction, mean IoU and Dice over the regions 1..20 that have one
 * @param links       where the full metrics, results, report and per-plane training histories are
 * @param foldModelSets a k-fold train job's model sets, one per fold in fold order, with their models; empty otherwise
 * @param deadLetters the dead letters that name the job, oldest first; empty when no input was given up on
 */
public record AuditResponse(JobResponse job, List<AuditScan> scans, AuditModelSet modelSet, List<JobResponse.TaskView> tasks,
                            List<JobResponse.Transition> transitions, List<ResultsResponse.ScanResultView> results,
                            List<MetricSummaryView> metrics, Map<String, String> links, List<AuditModelSet> foldModelSets,
                            List<DeadLetterView> deadLetters) {

    /**
     * @param scan          the scan: object keys, SHA-256 and sizes, the NIfTI parts' SHA-256 as uploaded and whether
     *                      they were stored de-identified, grid, transform with Euler angles, window
     * @param stateInJob    the scan's state within this job
     * @param errorInJob    why it failed within this job, or {@code null}
     */
    public record AuditScan(ScanResponse scan, String stateInJob, String errorInJob) {
    }

    /**
     * @param id          set id
     * @param name        unique name
     * @param fusionRule  how the planes are combined
     * @param codeVersion version of the code that assembled it
     * @param createdAt   when
     * @param models      one per plane with its lineage
     * @param trainingJobId the train job that produced it, or {@code null}
     * @param fold          its cross-validation fold 1..{@code foldCount}, or {@code null}
     * @param foldCount     k of the k-fold train job that produced it, or {@code null}
     * @param shippedSha256 SHA-256 of the model-set.json it was registered from when it shipped with the project
     *                      (the job's {@code modelSetDefault} says whether it ran as the default), or {@code null}
     * @param fusionWeights its learned fusion weights (what a job with {@code fusion=learned} fused with; they never
     *                      change), or {@code null}
     */
    public record AuditModelSet(UUID id, String name, String fusionRule, String codeVersion, Instant createdAt,
                                List<AuditModel> models, UUID trainingJobId, Integer fold, Integer foldCount,
                                String shippedSha256, FusionWeightsResponse fusionWeights) {
    }

    /**
     * A model with its training lineage: every registry field (training scan ids and checksums,
     * hyper-parameters, seed, code version, duration, validation metrics, weights) plus the job that
     * trained it, read from the hyper-parameters.
     *
     * @param model          the registry row
     * @param trainingJobId  the TRAIN job that produced it, or {@code null} when not recorded
     */
    public record AuditModel(@JsonUnwrapped ModelResponse model, UUID trainingJobId) {
    }

    /** @param scanId scan @param plane prediction @param meanIoU mean IoU @param meanDice mean Dice @param regions regions averaged */
    public record MetricSummaryView(UUID scanId, String plane, Double meanIoU, Double meanDice, int regions) {
    }

    /**
     * Input a worker gave up on (as published to {@code triplane.dead-letter}, without the payload).
     *
     * @param consumer    the worker's consumer name
     * @param workerId    the instance
     * @param reason      what is wrong, in words a person can act on
     * @param sourceTopic the message's topic, or {@code null} when a claimed task failed
     * @param partition   its partition, or {@code null}
     * @param offset      its offset, or {@code null}
     * @param scanId      the scan, when known
     * @param taskId      the task, when there was one
     * @param failedAt    when the worker gave up
     */
    public record DeadLetterView(String consumer, String workerId, String reason, String sourceTopic, Integer partition,
                                 Long offset, UUID scanId, UUID taskId, Instant failedAt) {
        static DeadLetterView of(DeadLetter d) {
            return new DeadLetterView(d.consumer(), d.workerId(), d.reason(), d.sourceTopic(),
                    d.ofMessage() ? d.partition() : null, d.ofMessage() ? d.offset() : null, d.scanId(), d.taskId(),
                    d.failedAt());
        }
    }

    static AuditResponse of(AuditService.Audit a, ObjectMapper json) {
        JobResponse full = JobResponse.of(a.details());
        Map<UUID, Scan> byId = a.scans().stream().collect(Collectors.toMap(Scan::id, Function.identity()));
        List<AuditScan> scans = a.details().scans().stream().filter(js -> byId.containsKey(js.scanId()))
                .map(js -> scan(byId.get(js.scanId()), js, a.registrations().get(js.scanId()))).toList();
        UUID id = a.details().job().id();
        return new AuditResponse(JobResponse.summary(a.details().job()), scans,
                modelSet(a.modelSet(), a.models(), a.fusionWeights(), json),
                full.tasks(), full.transitions(),
                a.results().stream().map(r -> ResultsResponse.view(r, false, json)).toList(),
                a.metrics().stream().map(m -> new MetricSummaryView(m.scanId(), m.plane().name(), m.meanIoU(), m.meanDice(),
                        m.regions())).toList(),
                Map.of("metrics", "/api/v1/jobs/" + id + "/metrics", "results", "/api/v1/jobs/" + id + "/results",
                        "report", "/api/v1/jobs/" + id + "/report"),
                a.folds().stream().map(f -> modelSet(f.set(), f.models(), f.fusionWeights(), json)).toList(),
                a.deadLetters().stream().map(DeadLetterView::of).toList());
    }

    private static AuditScan scan(Scan s, JobScan js, org.triplane.db.scans.ScanRegistration registration) {
        return new AuditScan(ScanResponse.of(s, registration), js.state().name(), js.error());
    }

    private static AuditModelSet modelSet(ModelSet set, List<Model> models, FusionWeights weights, ObjectMapper json) {
        if (set == null) {
            return null;
        }
        return new AuditModelSet(set.id(), set.name(), set.fusionRule(), set.codeVersion(), set.createdAt(),
                models.stream().map(m -> new AuditModel(ModelResponse.of(m, set), trainingJob(m, json))).toList(),
                set.trainingJobId(), set.fold(), set.foldCount(), set.shippedSha256(),
                weights == null ? null : FusionWeightsResponse.of(weights));
    }

    private static UUID trainingJob(Model m, ObjectMapper json) {
        JsonNode hyper = ResultsResponse.tree(m.hyperParametersJson(), json);
        JsonNode id = hyper == null ? null : hyper.path("trainingJobId");
        if (id == null || !id.isTextual()) {
            return null;
        }
        try {
            return UUID.fromString(id.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
