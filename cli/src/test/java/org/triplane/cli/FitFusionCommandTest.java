package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.client.modelset.FusionWeightsDocument;
import org.triplane.imaging.fusion.PlanePrediction;
import org.triplane.imaging.fusion.WeightedVote;
import org.triplane.imaging.fusion.WeightedVoteFit;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.plane.Plane;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Geometry;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * {@code model-set fit-fusion} against a stand-in gateway serving an evaluate job's stored volumes as
 * NIfTI files: the weights it sends are those {@link WeightedVoteFit} fits on the same volumes, from
 * the labelled scans only; a job that cannot be fitted on is refused before anything is sent.
 */
class FitFusionCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Geometry GRID = Geometry.axisAligned(12, 10, 6, new double[] {1.5, 1.5, 3}, new double[] {-9, -7, -9});
    private static final UUID SET = UUID.randomUUID();
    private static final UUID JOB = UUID.randomUUID();
    private static final String RECORD = "POST /api/v1/models/" + SET + "/fusion-weights";

    @TempDir
    Path dir;

    @RegisterExtension
    final StandardStreams streams = new StandardStreams();
    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @BeforeEach
    void setUp() {
        gateway.extra.put("/api/v1/models/" + SET + "/fusion-weights",
                new FakeGateway.Answer(201, "application/json", "{\"recordedBy\": \"api-key:test\"}".getBytes(StandardCharsets.UTF_8)));
    }

    private int fitFusion(String... extra) {
        List<String> args = new ArrayList<>(List.of("model-set", "fit-fusion", SET.toString(), "--from-job", JOB.toString()));
        args.addAll(List.of(extra));
        return streams.run(gateway.connected(args.toArray(String[]::new)));
    }

    /** One scan's stored members and reference labels: planes wrong in different places, the atlas in others. */
    private record Stored(UUID id, byte[][] labels, byte[][] confidence, byte[] truth) {
        static Stored random(long seed) {
            Random r = new Random(seed);
            int n = GRID.nx() * GRID.ny() * GRID.nz();
            byte[] truth = new byte[n];
            byte[][] labels = new byte[4][n];
            byte[][] confidence = new byte[3][n];
            for (int v = 0; v < n; v++) {
                truth[v] = (byte) r.nextInt(21);
                for (int m = 0; m < 4; m++) {
                    labels[m][v] = r.nextDouble() < 0.15 + 0.1 * m ? (byte) r.nextInt(21) : truth[v];
                    if (m < 3) {
                        confidence[m][v] = (byte) (20 + r.nextInt(236));
                    }
                }
            }
            return new Stored(UUID.randomUUID(), labels, confidence, truth);
        }

        WeightedVoteFit.Scan scan() {
            return new WeightedVoteFit.Scan(prediction(Plane.AXIAL, 0), prediction(Plane.CORONAL, 1),
                    prediction(Plane.SAGITTAL, 2), volume(labels[3]), volume(truth));
        }

        private PlanePrediction prediction(Plane plane, int m) {
            return new PlanePrediction(plane, volume(labels[m]), volume(confidence[m]));
        }
    }

    private static Volume volume(byte[] data) {
        return new Volume(GRID, new VoxelBuffer.UInt8(data.clone()));
    }

    private byte[] nifti(byte[] data) throws IOException {
        Path f = dir.resolve(UUID.randomUUID() + ".nii.gz");
        NiftiWriter.write(volume(data), f);
        return Files.readAllBytes(f);
    }

    /** The job, its results (the labelled scans with an evaluation, one without) and every object, on the gateway. */
    private void serve(String kind, String state, UUID modelSet, List<Stored> labelled) throws IOException {
        ObjectNode job = JSON.createObjectNode().put("id", JOB.toString()).put("kind", kind).put("state", state)
                .put("modelSetId", modelSet.toString());
        gateway.extra.put("/api/v1/jobs/" + JOB, FakeGateway.Answer.json(job));
        ObjectNode results = JSON.createObjectNode().put("jobId", JOB.toString());
        ArrayNode scans = results.putArray("scans");
        for (Stored s : labelled) {
            ObjectNode r = scans.addObject().put("scanId", s.id().toString());
            r.putObject("evaluation").putObject("predictions");
            ObjectNode downloads = r.putObject("downloads");
            for (int m = 0; m < 4; m++) {
                String member = WeightedVote.MEMBERS[m];
                serveObject(downloads, member + "-labels", s, s.labels()[m]);
                if (m < 3) {
                    serveObject(downloads, member + "-confidence", s, s.confidence()[m]);
                }
            }
            gateway.extra.put("/api/v1/scans/" + s.id() + "/objects/labels",
                    new FakeGateway.Answer(200, "application/gzip", nifti(s.truth())));
        }
        // a scan uploaded without labels: no evaluation, nothing of it is downloaded
        scans.addObject().put("scanId", UUID.randomUUID().toString()).putNull("evaluation").putObject("downloads");
        gateway.extra.put("/api/v1/jobs/" + JOB + "/results", FakeGateway.Answer.json(results));
    }

    private void serveObject(ObjectNode downloads, String name, Stored s, byte[] data) throws IOException {
        String path = "/api/v1/jobs/" + JOB + "/results/" + s.id() + "/objects/" + name;
        downloads.put(name, path);
        gateway.extra.put(path, new FakeGateway.Answer(200, "application/gzip", nifti(data)));
    }

    @Test
    void theWeightsSentAreTheFitOfTheJobsLabelledScans() throws Exception {
        List<Stored> stored = List.of(Stored.random(1), Stored.random(2));
        serve("EVALUATE", "SUCCEEDED", SET, stored);

        assertEquals(0, fitFusion("--passes", "2"), streams.err());

        FusionWeightsDocument sent = FusionWeightsDocument.parse(JSON.readTree(gateway.received.get(RECORD)));
        WeightedVoteFit.Result expected = WeightedVoteFit.fit(stored.stream().map(Stored::scan).toList(), 2);
        double[][] w = expected.vote().weights();
        for (int m = 0; m < 4; m++) {
            double[] got = sent.weights().get(WeightedVote.MEMBERS[m]).stream().mapToDouble(Double::doubleValue).toArray();
            assertArrayEquals(w[m], got, WeightedVote.MEMBERS[m]);
            assertEquals(expected.memberMeanIoU()[m], sent.memberMeanIoU().get(WeightedVote.MEMBERS[m]));
        }
        assertEquals(JOB, sent.evaluateJobId());
        assertEquals(stored.stream().map(Stored::id).toList(), sent.scanIds());
        assertEquals(expected.meanIoU(), sent.meanIoU());
        assertEquals(expected.equalWeightsMeanIoU(), sent.equalWeightsMeanIoU());
        assertTrue(sent.meanIoU() >= Arrays.stream(expected.memberMeanIoU()).max().orElseThrow(), sent.toString());
        String printed = streams.out();
        assertTrue(printed.contains("fusion weights of model set " + SET + " recorded (fitted on 2 scan(s) of job " + JOB),
                printed);
        assertTrue(printed.contains("--param fusion=learned"), printed);
    }

    @Test
    void aJobThatCannotBeFittedOnIsRefusedBeforeAnythingIsSent() throws Exception {
        serve("EVALUATE", "SUCCEEDED", UUID.randomUUID(), List.of(Stored.random(3)));
        assertEquals(2, fitFusion());
        assertTrue(streams.err().contains("ran model set"), streams.err());

        serve("EVALUATE", "RUNNING", SET, List.of(Stored.random(3)));
        assertEquals(2, fitFusion());
        assertTrue(streams.err().contains("is RUNNING"), streams.err());

        serve("SEGMENT", "SUCCEEDED", SET, List.of(Stored.random(3)));
        assertEquals(2, fitFusion());
        assertTrue(streams.err().contains("is a segment job"), streams.err());

        serve("EVALUATE", "SUCCEEDED", SET, List.of());
        assertEquals(2, fitFusion());
        assertTrue(streams.err().contains("has no labelled scan"), streams.err());

        assertEquals(2, fitFusion("--passes", "-1"));
        assertFalse(gateway.received.containsKey(RECORD));
    }
}
