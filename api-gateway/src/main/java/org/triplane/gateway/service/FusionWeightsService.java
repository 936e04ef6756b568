package org.triplane.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.triplane.client.modelset.FusionWeightsDocument;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobKind;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.FusionWeightsRecording;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.results.FusedResult;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.EvaluationDocument;

/**
 * Records a model set's learned fusion weights, fitted by the client on an evaluate job's stored
 * predictions ({@code triplane model-set fit-fusion}), in the requesting tenant's transaction: the
 * set must be one the tenant trained (the catalogue is shared: no tenant changes what another's
 * jobs fuse with); the job must be the tenant's SUCCEEDED evaluate job of that set; each scan one
 * of its scans with reference labels. The members' mean IoUs are recomputed from the job's stored
 * confusion matrices and must agree with the fit's, and the fitted vote must score at least the best
 * member and equal weights. A set's weights are recorded once: the same fit again is answered with
 * them, another is refused.
 */
@ApplicationScoped
public class FusionWeightsService {

    /** Largest request body accepted, bytes: a fit over a thousand scans is about 45 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** How far a client's mean IoU may differ from the one recomputed here (summation order). */
    private static final double IOU_TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Databases db;

    @Inject
    public FusionWeightsService(Databases db) {
        this.db = db;
    }

    /**
     * @param weights the set's weights as stored
     * @param created whether this call recorded them (false: the same fit was recorded before)
     */
    public record Recorded(FusionWeights weights, boolean created) {
    }

    /**
     * @param tenantId   the requesting tenant
     * @param requester  who records ({@code api-key:<prefix>})
     * @param modelSetId the set the weights are for
     * @param body       the request body, a {@link FusionWeightsDocument}
     * @throws RequestRejected 400 for a malformed body or weights that score below a member, 403 for a set
     *                         the tenant did not train, 404 for an unknown set or job, 409 for a job or scan that
     *                         cannot be fitted on, member mean IoUs that disagree with the job's, or a set that has
     *                         other weights
     */
    public Recorded record(UUID tenantId, String requester, UUID modelSetId, String body) {
        FusionWeightsDocument doc = parse(body);
        FusionWeights claimed;
        try {
            claimed = checked(doc, modelSetId, tenantId, requester);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest(field(e), e.getMessage());
        }
        return db.app().inTenant(tenantId, c -> {
            ModelSet set = ModelSets.find(c, modelSetId)
                    .orElseThrow(() -> RequestRejected.notFound("modelSetId", "model set " + modelSetId + " not found"));
            requireTrainedByTenant(c, set);
            Job job = evaluateJobOf(c, set, doc.evaluateJobId());
            double[] recorded = recordedMemberMeanIoU(c, job, doc.scanIds());
            for (int m = 0; m < recorded.length; m++) {
                double given = claimed.memberMeanIoU().get(m);
                if (Math.abs(given - recorded[m]) > IOU_TOLERANCE) {
                    throw new RequestRejected(409, "memberMeanIoU." + WeightedVote.MEMBERS[m], String.format(Locale.ROOT,
                            "the %s mean IoU %.6f differs from %.6f, what job %s recorded for these scans: the fit did not "
                                    + "read this job's stored predictions; fit again", WeightedVote.MEMBERS[m], given,
                            recorded[m], job.id()));
                }
            }
            // why the job's own numbers: they are what its metric rows say, whatever the client summed
            FusionWeights weights = new FusionWeights(modelSetId, claimed.weights(), job.id(), claimed.scanIds(),
                    claimed.meanIoU(), claimed.equalWeightsMeanIoU(), Arrays.stream(recorded).boxed().toList(), tenantId,
                    null, requester);
            FusionWeightsRecording r = ModelSetFusionWeights.record(c, weights);
            if (!r.recorded() && !r.weights().sameFit(weights)) {
                throw new RequestRejected(409, "modelSetId", "model set " + modelSetId + " ('" + set.name() + "') already "
                        + "has fusion weights, fitted on evaluate job " + r.weights().evaluateJobId() + " and recorded at "
                        + r.weights().recordedAt() + " by " + r.weights().recordedBy() + "; a set's weights never change (the "
                        + "jobs that fused with them stay explainable)");
            }
            return new Recorded(r.weights(), r.recorded());
        });
    }

    /**
     * The weights and scores a document holds, checked as any recorded weights must be: exactly the members
     * {@link WeightedVote#MEMBERS}, each with 21 finite weights ≥ 0; mean IoUs within 0..1; at least one scan, each
     * once; the fitted vote's mean IoU at least the best member's and equal weights' (the rule of learned weights).
     * Also how a shipped folder's {@link FusionWeightsDocument#FILE} is read.
     *
     * @param tenantId   the tenant recording them, or {@code null} for a shipped set's
     * @param recordedBy who records them
     * @throws IllegalArgumentException {@code "<field>: <problem>"}
     */
    public static FusionWeights checked(FusionWeightsDocument doc, UUID modelSetId, UUID tenantId, String recordedBy) {
        requireMembers("weights", doc.weights().keySet());
        requireMembers("memberMeanIoU", doc.memberMeanIoU().keySet());
        double[][] w = new double[WeightedVote.MEMBERS.length][];
        double[] members = new double[WeightedVote.MEMBERS.length];
        for (int m = 0; m < w.length; m++) {
            w[m] = doc.weights().get(WeightedVote.MEMBERS[m]).stream().mapToDouble(Double::doubleValue).toArray();
            members[m] = doc.memberMeanIoU().get(WeightedVote.MEMBERS[m]);
            unitInterval("memberMeanIoU." + WeightedVote.MEMBERS[m], members[m]);
        }
        WeightedVote vote;
        try {
            vote = new WeightedVote(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("weights: " + e.getMessage(), e);
        }
        unitInterval("meanIoU", doc.meanIoU());
        unitInterval("equalWeightsMeanIoU", doc.equalWeightsMeanIoU());
        if (doc.scanIds().isEmpty() || new HashSet<>(doc.scanIds()).size() != doc.scanIds().size()) {
            throw new IllegalArgumentException("scanIds: at least one scan, each once, required; got " + doc.scanIds());
        }
        int best = 0;
        for (int m = 1; m < members.length; m++) {
            best = members[m] > members[best] ? m : best;
        }
        if (doc.meanIoU() < members[best] - IOU_TOLERANCE || doc.meanIoU() < doc.equalWeightsMeanIoU() - IOU_TOLERANCE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "meanIoU: the fitted vote's mean IoU %.6f is below "
                            + "the best single member's (%s, %.6f) or equal weights' (%.6f) on its scans: learned weights must "
                            + "be at least as good as each; fit again", doc.meanIoU(), WeightedVote.MEMBERS[best],
                    members[best], doc.equalWeightsMeanIoU()));
        }
        return new FusionWeights(modelSetId, Arrays.stream(vote.memberMajor()).boxed().toList(), doc.evaluateJobId(),
                doc.scanIds(), doc.meanIoU(), doc.equalWeightsMeanIoU(), Arrays.stream(members).boxed().toList(), tenantId,
                null, recordedBy);
    }

    /** The document form of stored weights, members by name. */
    public static FusionWeightsDocument document(FusionWeights w) {
        double[][] weights = WeightedVote.of(w.weights().stream().mapToDouble(Double::doubleValue).toArray()).weights();
        Map<String, List<Double>> byMember = new LinkedHashMap<>();
        Map<String, Double> members = new LinkedHashMap<>();
        for (int m = 0; m < WeightedVote.MEMBERS.length; m++) {
            byMember.put(WeightedVote.MEMBERS[m], Arrays.stream(weights[m]).boxed().toList());
            members.put(WeightedVote.MEMBERS[m], w.memberMeanIoU().get(m));
        }
        return new FusionWeightsDocument(byMember, w.evaluateJobId(), w.scanIds(), w.meanIoU(), w.equalWeightsMeanIoU(),
                members);
    }

    private static FusionWeightsDocument parse(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RequestRejected.badRequest("body", "not a valid JSON request body: " + e.getOriginalMessage());
        }
        try {
            return FusionWeightsDocument.parse(node);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest(field(e), e.getMessage());
        }
    }

    private static void requireMembers(String field, java.util.Set<String> given) {
        if (!given.equals(new HashSet<>(List.of(WeightedVote.MEMBERS)))) {
            throw new IllegalArgumentException(field + ": must name exactly the members "
                    + String.join(", ", WeightedVote.MEMBERS) + ", got " + given);
        }
    }

    private static void unitInterval(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + ": a mean IoU within 0..1 required, got " + value);
        }
    }

    /** The field an {@code "<field>: <problem>"} message names. */
    private static String field(IllegalArgumentException e) {
        String msg = e.getMessage();
        return msg.contains(":") ? msg.substring(0, msg.indexOf(':')) : "body";
    }

    private void requireTrainedByTenant(Connection c, ModelSet set) throws SQLException {
        // why findJob: row-level security shows a train job only to its tenant
        if (set.trainingJobId() == null || Jobs.find(c, set.trainingJobId()).isEmpty()) {
            throw new RequestRejected(403, "modelSetId", "model set " + set.id() + " ('" + set.name() + "') was not trained "
                    + "by this tenant: the model registry is shared, so only the tenant whose train job produced a set "
                    + "records its fusion weights (a shipped set brings them in its folder's "
                    + FusionWeightsDocument.FILE + ")");
        }
    }

    private Job evaluateJobOf(Connection c, ModelSet set, UUID jobId) throws SQLException {
        Job job = Jobs.find(c, jobId)
                .orElseThrow(() -> RequestRejected.notFound("evaluateJobId", "job " + jobId + " not found"));
        if (job.kind() != JobKind.EVALUATE) {
            throw new RequestRejected(409, "evaluateJobId", "job " + jobId + " is a " + job.kind() + " job: fusion weights "
                    + "are fitted on an EVALUATE job, whose scans have reference labels");
        }
        if (job.state() != JobState.SUCCEEDED) {
            throw new RequestRejected(409, "evaluateJobId", "job " + jobId + " is " + job.state()
                    + ": fusion weights are fitted on a SUCCEEDED evaluate job");
        }
        if (!set.id().equals(job.modelSetId())) {
            throw new RequestRejected(409, "evaluateJobId", "job " + jobId + " ran model set " + job.modelSetId() + ", not "
                    + set.id() + ": fusion weights are fitted on the predictions of the set they are for");
        }
        return job;
    }

    /**
     * Each member's mean IoU over {@code scans}, from the confusion matrices the job recorded per scan
     * (pooled, as the fit counts them).
     */
    private double[] recordedMemberMeanIoU(Connection c, Job job, List<UUID> scans) throws SQLException {
        Map<UUID, FusedResult> results = new LinkedHashMap<>();
        for (FusedResult r : AuditQueries.fusedResults(c, job.id())) {
            results.put(r.scanId(), r);
        }
        List<ConfusionMatrix> pooled = new ArrayList<>();
        for (String ignored : WeightedVote.MEMBERS) {
            pooled.add(new ConfusionMatrix());
        }
        for (UUID scan : scans) {
            FusedResult r = results.get(scan);
            if (r == null) {
                throw new RequestRejected(409, "scanIds", "scan " + scan + " has no result in job " + job.id()
                        + ": fit on the job's own scans");
            }
            EvaluationDocument evaluation = ResultDocumentReader.evaluation(r, JSON).orElseThrow(() -> new RequestRejected(409,
                    "scanIds", "scan " + scan + " of job " + job.id() + " has no evaluation (it was uploaded without labels): "
                    + "fusion weights are fitted on labelled scans only"));
            for (int m = 0; m < WeightedVote.MEMBERS.length; m++) {
                String member = WeightedVote.MEMBERS[m];
                ConfusionMatrix confusion = evaluation.prediction(member).flatMap(EvaluationDocument.Prediction::confusionMatrix)
                        .orElseThrow(() -> new RequestRejected(409, "scanIds", "job " + job.id() + " recorded no " + member
                                + " evaluation for scan " + scan + " (fused before the atlas method was scored): evaluate again"));
                pooled.get(m).add(confusion);
            }
        }
        return pooled.stream().mapToDouble(ConfusionMatrix::meanIoU).toArray();
    }
}
