package org.triplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.triplane.client.GatewayClient;
import org.triplane.client.modelset.FusionWeightsDocument;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.fusion.WeightedVoteFit;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Volume;

/**
 * The fit behind {@code triplane model-set fit-fusion}: checks that the job is a SUCCEEDED evaluate
 * job of the set with labelled scans, then per labelled scan downloads what the job stored on the
 * rotated grid (each plane's labels and confidence, the atlas method's labels, through the results'
 * download names) and the scan's reference labels, counts them into a {@link WeightedVoteFit} and
 * deletes them, so one scan's volumes are held at a time; then fits. The gateway checks everything
 * again when the weights are recorded.
 */
final class FusionFit {

    /**
     * @param result   the fit
     * @param document what to record: the weights with the job, its scans and the scores
     */
    record Fitted(WeightedVoteFit.Result result, FusionWeightsDocument document) {
    }

    private FusionFit() {
    }

    /**
     * @param passes  rounds of the coordinate ascent over all weights
     * @param scratch folder for one scan's downloads at a time
     * @param log     one line per scan
     * @throws InputException when the job is not a SUCCEEDED evaluate job of {@code setId} or has no labelled scan
     */
    static Fitted fit(GatewayClient client, String apiKey, UUID setId, UUID jobId, int passes, Path scratch, PrintStream log)
            throws InputException, IOException, InterruptedException {
        JsonNode job = client.job(apiKey, jobId);
        String kind = job.path("kind").asText();
        if (!kind.equalsIgnoreCase("EVALUATE")) {
            throw new InputException("job " + jobId + " is a " + kind.toLowerCase(Locale.ROOT) + " job: fusion weights are "
                    + "fitted on an evaluate job of the set, whose scans have reference labels");
        }
        if (!job.path("state").asText().equals("SUCCEEDED")) {
            throw new InputException("job " + jobId + " is " + job.path("state").asText() + ": fit on it once it has "
                    + "SUCCEEDED (triplane watch " + jobId + ")");
        }
        if (!setId.toString().equals(job.path("modelSetId").asText())) {
            throw new InputException("job " + jobId + " ran model set " + job.path("modelSetId").asText() + ", not " + setId
                    + ": fusion weights are fitted on the predictions of the set they are for");
        }
        List<JsonNode> labelled = new ArrayList<>();
        for (JsonNode r : client.results(apiKey, jobId).path("scans")) {
            if (r.hasNonNull("evaluation")) {
                labelled.add(r);
            }
        }
        if (labelled.isEmpty()) {
            throw new InputException("job " + jobId + " has no labelled scan (no result has an evaluation): fusion weights "
                    + "are fitted against reference labels; evaluate scans uploaded with their labels");
        }
        Files.createDirectories(scratch);
        WeightedVoteFit fit = new WeightedVoteFit();
        List<UUID> scans = new ArrayList<>();
        for (JsonNode r : labelled) {
            UUID scan = UUID.fromString(r.path("scanId").asText());
            long t0 = System.nanoTime();
            WeightedVoteFit.Scan volumes = download(client, apiKey, jobId, scan, r.path("downloads"), scratch);
            try {
                fit.add(volumes);
            } catch (IllegalArgumentException e) {
                throw new IOException("scan " + scan + " of job " + jobId + ": " + e.getMessage(), e);
            }
            scans.add(scan);
            log.printf(Locale.ROOT, "scan %s counted (%d of %d, %.1f s)%n", scan, scans.size(), labelled.size(),
                    (System.nanoTime() - t0) / 1e9);
        }
        long t0 = System.nanoTime();
        WeightedVoteFit.Result result = fit.fit(passes);
        log.printf(Locale.ROOT, "fitted in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return new Fitted(result, document(result, jobId, scans));
    }

    /** The record of a fit, members by name. */
    static FusionWeightsDocument document(WeightedVoteFit.Result result, UUID jobId, List<UUID> scans) {
        double[][] w = result.vote().weights();
        double[] members = result.memberMeanIoU();
        Map<String, List<Double>> weights = new LinkedHashMap<>();
        Map<String, Double> memberMeanIoU = new LinkedHashMap<>();
        for (int m = 0; m < WeightedVote.MEMBERS.length; m++) {
            weights.put(WeightedVote.MEMBERS[m], Arrays.stream(w[m]).boxed().toList());
            memberMeanIoU.put(WeightedVote.MEMBERS[m], members[m]);
        }
        return new FusionWeightsDocument(weights, jobId, scans, result.meanIoU(), result.equalWeightsMeanIoU(), memberMeanIoU);
    }

    /** One scan's members and truth, read from their downloads, which are deleted again. */
    private static WeightedVoteFit.Scan download(GatewayClient client, String apiKey, UUID jobId, UUID scan, JsonNode downloads,
                                                 Path scratch) throws InputException, IOException, InterruptedException {
        Map<String, Volume> v = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int m = 0; m < WeightedVote.MEMBERS.length; m++) {
            names.add(WeightedVote.MEMBERS[m] + "-labels");
            // why m < 3: the atlas method, the last member, has no confidence (it votes with 255)
            if (m < 3) {
                names.add(WeightedVote.MEMBERS[m] + "-confidence");
            }
        }
        Map<String, String> paths = new LinkedHashMap<>();
        for (String name : names) {
            if (!downloads.hasNonNull(name)) {
                throw new InputException("job " + jobId + " stored no " + name + " for scan " + scan + " (its result lists "
                        + "no such object): fitting needs every plane's prediction and the atlas method's labels");
            }
            paths.put(name, downloads.get(name).asText());
        }
        paths.put("reference", "/api/v1/scans/" + scan + "/objects/labels");
        for (Map.Entry<String, String> e : paths.entrySet()) {
            Path file = scratch.resolve(e.getKey() + ".nii.gz");
            try {
                client.download(apiKey, e.getValue(), file);
                v.put(e.getKey(), NiftiReader.read(file));
            } finally {
                Files.deleteIfExists(file);
            }
        }
        try {
            return new WeightedVoteFit.Scan(prediction(Plane.AXIAL, v), prediction(Plane.CORONAL, v),
                    prediction(Plane.SAGITTAL, v), v.get("atlas-labels"), v.get("reference"));
        } catch (IllegalArgumentException e) {
            throw new IOException("scan " + scan + " of job " + jobId + ": " + e.getMessage(), e);
        }
    }

    private static PlanePrediction prediction(Plane plane, Map<String, Volume> v) {
        String name = plane.name().toLowerCase(Locale.ROOT);
        return new PlanePrediction(plane, v.get(name + "-labels"), v.get(name + "-confidence"));
    }
}
