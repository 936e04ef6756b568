package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.GatewayClient;
import org.triplane.client.GatewayException;
import org.triplane.client.modelset.FusionWeightsDocument;
import org.triplane.client.modelset.ModelSetExport;
import org.triplane.client.modelset.ModelSetFolder;
import org.triplane.db.models.ShippedModelSetRegistration;
import org.triplane.deploy.local.StackProperties;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.testing.TestStack;

/**
 * The learned fusion on the whole stack. A tiny model set with atlas inputs is trained as a TRAIN job
 * and evaluated as an EVALUATE job on two labelled validation scans; the packaged command line
 * ({@code triplane model-set fit-fusion}) fits the weights on that job and records them with the set.
 * An evaluate job with {@code fusion=learned} on the same scans then stores fused labels equal, voxel
 * for voxel, to {@link WeightedVote} applied here to the members it stored (its three planes and the
 * atlas method) with the weights read back from the set, and its fused mean IoU (pooled from its
 * metric rows) is at least each member's (observed 0.849 against the atlas method's 0.810 and the
 * planes' 0.78; 2026-12-05). Exported and shipped, the set is registered with its weights as the
 * default, and another tenant's learned job that names no set runs with them.
 */
class LearnedFusionEndToEndIT {
    private static final List<String> PREDICTIONS = List.of("AXIAL", "CORONAL", "SAGITTAL", "ATLAS", "FUSED");

    @TempDir
    static Path dir;

    private static TestStack stack;
    private static Path shipped;
    private static GatewayClient gateway;

    @BeforeAll
    static void startStack() throws Exception {
        shipped = dir.resolve("shipped-model-set");
        stack = TestStack.startWithServices(dir, List.of("api-gateway", "preprocess-worker", "gpu-worker", "fusion-worker"),
                b -> b.optDefaultModelSet(shipped));
        gateway = new GatewayClient(stack.properties().getProperty(StackProperties.GATEWAY_URL));
    }

    @AfterAll
    static void stopStack() {
        TestStack.stopLeavingNothing(stack);
    }

    @Test
    void weightsFittedOnAnEvaluateJobFuseLaterJobsAtLeastAsWellAsTheBestMemberAndShipWithTheSet() throws Exception {
        PhantomDataset.Result phantoms = PhantomDataset.write(
                PhantomSpec.of(64, 64, 28, new double[] {3.6, 3.6, 5.0}, 23), dir.resolve("phantoms"), 6, null);
        String admin = stack.properties().getProperty(StackProperties.GATEWAY_ADMIN_TOKEN);
        String key = gateway.createTenant(admin, "learned-" + UUID.randomUUID()).apiKey();
        List<UUID> scans = new ArrayList<>();
        for (PhantomDataset.SubjectFiles s : phantoms.subjects().subList(0, 5)) {
            scans.add(UUID.fromString(gateway.uploadScan(key, file(phantoms, s.ctFile()), file(phantoms, s.transformFile()),
                    file(phantoms, s.segFile())).get("id").asText()));
        }
        // why atlas inputs: networks that start from the registered atlas predict regions after one epoch, so the
        // fit has members worth weighing against each other
        Map<String, Object> training = TinyTraining.withAtlasInputs(5);
        UUID train = gateway.submitJob(key, "train-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("train", scans.subList(0, 3), training, null)).id();
        UUID set = UUID.fromString(JobWaits.awaitSucceeded(stack, gateway, key, train).get("modelSetId").asText());
        List<UUID> validation = scans.subList(3, 5);

        // without weights a learned job is refused at once, naming the command that fits them
        assertThatThrownBy(() -> gateway.submitJob(key, "learned-too-early", new GatewayClient.JobRequest("evaluate",
                validation, Map.of("fusion", "learned"), set)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.part()).isEqualTo("parameters.fusion");
                    assertThat(e.error()).contains("triplane model-set fit-fusion " + set);
                });

        UUID evaluate = gateway.submitJob(key, "evaluate-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("evaluate", validation, Map.of(), set)).id();
        JobWaits.awaitSucceeded(stack, gateway, key, evaluate);
        PackagedCli fit = PackagedCli.run(dir, "model-set", "fit-fusion", set.toString(), "--from-job", evaluate.toString(),
                "--gateway", gateway.baseUrl(), "--api-key", key);
        assertThat(fit.exit()).as("fit-fusion: %s%s", fit.out(), fit.err()).isZero();
        System.out.println(fit.out().strip());
        assertThat(fit.out()).contains("fusion weights of model set " + set + " recorded (fitted on 2 scan(s) of job " + evaluate);

        JsonNode recorded = gateway.modelSet(key, set).get("fusionWeights");
        FusionWeightsDocument weights = FusionWeightsDocument.parse(recorded);
        assertThat(weights.evaluateJobId()).isEqualTo(evaluate);
        assertThat(weights.scanIds()).containsExactlyInAnyOrderElementsOf(validation);
        assertThat(recorded.get("recordedBy").asText()).startsWith("api-key:");
        double bestMember = weights.memberMeanIoU().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(weights.meanIoU()).isGreaterThanOrEqualTo(bestMember).isGreaterThanOrEqualTo(weights.equalWeightsMeanIoU());
        // the same fit again changes nothing
        assertThat(PackagedCli.run(dir, "model-set", "fit-fusion", set.toString(), "--from-job", evaluate.toString(), "--gateway",
                gateway.baseUrl(), "--api-key", key).out()).contains("were recorded before with this fit");
        assertFetchWritesViewerTablesAndAnOfflineReport(key, evaluate, validation);

        UUID learned = gateway.submitJob(key, "learned-" + UUID.randomUUID(),
                new GatewayClient.JobRequest("evaluate", validation, Map.of("fusion", "learned"), set)).id();
        JobWaits.awaitSucceeded(stack, gateway, key, learned);
        WeightedVote vote = vote(weights);
        JsonNode results = gateway.results(key, learned);
        assertThat(results.get("scans")).hasSize(2);
        for (JsonNode r : results.get("scans")) {
            assertThat(r.get("fusionMethod").asText()).isEqualTo("learned");
            JsonNode downloads = r.get("downloads");
            PlanePrediction[] planes = new PlanePrediction[3];
            for (Plane p : Plane.values()) {
                String name = p.name().toLowerCase(Locale.ROOT);
                planes[p.ordinal()] = new PlanePrediction(p, download(key, downloads, name + "-labels"),
                        download(key, downloads, name + "-confidence"));
            }
            Volume expected = vote.fuse(planes[0], planes[1], planes[2], download(key, downloads, "atlas-labels")).labels();
            Volume stored = download(key, downloads, "rotated-segmentation");
            assertThat(bytes(stored)).as("scan %s", r.get("scanId").asText()).isEqualTo(bytes(expected));
        }
        Map<String, Double> meanIoU = pooledMeanIoU(gateway.metrics(key, learned, Map.of()));
        System.out.println("learned job " + learned + ", mean IoU per prediction: " + meanIoU);
        assertThat(meanIoU.get("FUSED")).as("fused against each member: %s", meanIoU)
                .isGreaterThanOrEqualTo(meanIoU.get("AXIAL")).isGreaterThanOrEqualTo(meanIoU.get("CORONAL"))
                .isGreaterThanOrEqualTo(meanIoU.get("SAGITTAL")).isGreaterThanOrEqualTo(meanIoU.get("ATLAS"));
        JsonNode audit = gateway.audit(key, learned);
        assertThat(audit.path("modelSet").path("fusionWeights")).isEqualTo(recorded);

        // shipped with its weights: registered with them as the default, run by a job that names no set
        ModelSetFolder.Folder folder = ModelSetExport.export(gateway, key, set, shipped, "e2e-learned", null, null);
        assertThat(folder.fusionWeightsDocument()).contains(weights);
        stack.stopGateway();
        stack.up();
        JsonNode registered = gateway.defaultModelSet(key).orElseThrow();
        assertThat(registered.get("id").asText()).isEqualTo(ShippedModelSetRegistration.idFor(folder.sha256()).toString());
        assertThat(FusionWeightsDocument.parse(registered.get("fusionWeights"))).isEqualTo(weights);
        assertThat(registered.get("fusionWeights").get("recordedBy").asText()).startsWith("api-gateway@");

        String other = gateway.createTenant(admin, "learned-default-" + UUID.randomUUID()).apiKey();
        PhantomDataset.SubjectFiles last = phantoms.subjects().get(5);
        UUID scanOfOther = UUID.fromString(gateway.uploadScan(other, file(phantoms, last.ctFile()),
                file(phantoms, last.transformFile()), null).get("id").asText());
        JsonNode job = gateway.submitJob(other, "learned-default", new GatewayClient.JobRequest("segment",
                List.of(scanOfOther), Map.of("fusion", "learned"), null)).job();
        assertThat(job.get("modelSetDefault").asBoolean()).isTrue();
        JobWaits.awaitSucceeded(stack, gateway, other, UUID.fromString(job.get("id").asText()));
        assertThat(gateway.results(other, UUID.fromString(job.get("id").asText())).get("scans").get(0).get("fusionMethod")
                .asText()).isEqualTo("learned");
    }

    private static WeightedVote vote(FusionWeightsDocument d) {
        double[][] w = new double[WeightedVote.MEMBERS.length][];
        for (int m = 0; m < w.length; m++) {
            w[m] = d.weights().get(WeightedVote.MEMBERS[m]).stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new WeightedVote(w);
    }

    /** Per prediction the mean IoU over regions 1..20, TP, FP and FN summed over the job's scans first. */
    private static Map<String, Double> pooledMeanIoU(JsonNode rows) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String prediction : PREDICTIONS) {
            long[] tp = new long[21];
            long[] union = new long[21];
            for (JsonNode row : rows) {
                if (row.get("plane").asText().equals(prediction)) {
                    int label = row.get("classLabel").asInt();
                    tp[label] += row.get("tp").asLong();
                    union[label] += row.get("tp").asLong() + row.get("fp").asLong() + row.get("fn").asLong();
                }
            }
            double sum = 0;
            int regions = 0;
            for (int label = 1; label <= 20; label++) {
                if (union[label] > 0) {
                    sum += (double) tp[label] / union[label];
                    regions++;
                }
            }
            out.put(prediction, sum / regions);
        }
        return out;
    }

    private static Volume download(String key, JsonNode downloads, String name) throws Exception {
        Path f = dir.resolve("download-" + UUID.randomUUID() + ".nii.gz");
        gateway.download(key, downloads.get(name).asText(), f);
        return NiftiReader.read(f);
    }

    private static byte[] bytes(Volume v) {
        return ((VoxelBuffer.UInt8) v.voxels()).data;
    }

    private static Path file(PhantomDataset.Result phantoms, String name) {
        return phantoms.directory().resolve(name);
    }

    /**
     * The packaged {@code triplane fetch} of a finished job: beside each label volume of each scan its
     * ITK-SNAP and Slicer tables (left C in the report's colour), and the report as one file whose
     * nine overlay images per scan are inside it.
     */
    private static void assertFetchWritesViewerTablesAndAnOfflineReport(String key, UUID job, List<UUID> scans)
            throws IOException, InterruptedException {
        Path out = dir.resolve("fetched-" + job);
        PackagedCli fetch = PackagedCli.run(dir, "fetch", job.toString(), "--out", out.toString(), "--gateway",
                gateway.baseUrl(), "--api-key", key);
        assertThat(fetch.exit()).as("fetch: %s%s", fetch.out(), fetch.err()).isZero();
        for (UUID scan : scans) {
            Path folder = out.resolve("scans").resolve(scan.toString());
            for (String volume : List.of("segmentation", "rotated-segmentation", "axial-labels", "coronal-labels",
                    "sagittal-labels", "atlas-labels", "atlas-labels-acquired")) {
                assertThat(folder.resolve(volume + ".nii.gz")).isRegularFile();
                assertThat(Files.readString(folder.resolve(volume + ".ctbl"), StandardCharsets.US_ASCII))
                        .startsWith("# Color table file").contains("\n1 left_C 31 119 180 255\n");
                assertThat(Files.readString(folder.resolve(volume + ".itksnap.txt"), StandardCharsets.US_ASCII))
                        .contains("\n    1    31  119  180        1  1  1    \"left C\"\n");
            }
        }
        String report = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(report.split("src=\"data:image/png;base64,", -1)).hasSize(scans.size() * 9 + 1);
        assertThat(report).doesNotContain("<link").doesNotContain("src=\"/");
    }
}
