package org.triplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.client.GatewayClient;
import org.triplane.deploy.local.StackProperties;
import org.triplane.imaging.dicom.DicomSeriesWriter;
import org.triplane.imaging.labels.AspectsRegion;
import org.triplane.imaging.metrics.ConfusionMatrix;
import org.triplane.imaging.metrics.SegmentationEvaluator;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.resample.Interpolation;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;

/**
 * {@code triplane predict} on one synthetic head CT handed over twice, as a NIfTI file and as the
 * DICOM series a scanner would export of it (one file per slice, uncompressed, names and instance
 * numbers out of slice order; {@link DicomSeriesWriter}), with the packaged command line against the
 * whole stack and the shipped default model set. Each route goes in under a tenant of its own, so
 * that the second cannot reuse the first's scan or job.
 *
 * <p>Both must give the same labels on the same grid, voxel for voxel. Identical, not merely close:
 * the DICOM route converts the series on the client into a NIfTI file of the same grid (origin and
 * spacing pass through DICOM's decimal strings at six decimals, then both files store them as
 * float32, which rounds both to the same value) and the same int16 HU (pixels stored as
 * {@code HU + 1024} with an integral rescale), so the gateway receives the very bytes of the NIfTI
 * route — the test checks that too, by the uploaded CT's checksum — and the pipeline is
 * deterministic from there. A broken DICOM route fails: with the reader's slices in reverse order the
 * job fails at the atlas registration, with its rows mirrored 10,768 voxels' labels differ.
 *
 * <p>And the DICOM route's labels must make sense: all 20 regions present, and left regions on the
 * patient's left — compared with the phantom's own labels carried onto the CT's grid through its
 * pose: at most {@value #MAX_LEFT_RIGHT_CONFUSION} of the region voxels predicted as the same region
 * of the other side ({@link ConfusionMatrix#leftRightConfusionRate()}).
 */
class PredictEndToEndIT extends WholeStack {
    /**
     * Largest share of region voxels given their twin on the other side. The shipped set confuses
     * none on the study's scans (README); a mirrored volume would confuse nearly all.
     */
    static final double MAX_LEFT_RIGHT_CONFUSION = 0.01;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDicomSeriesGetsTheLabelsOfTheNiftiFileOfTheSameScanWithEachRegionOnItsSide() throws Exception {
        PhantomSubject head = new PhantomGenerator(PhantomSpec.of(64, 64, 28, new double[] {3.6, 3.6, 5.0}, 31), 2).generate(1);
        Path nifti = dir.resolve("head.nii.gz");
        NiftiWriter.write(head.ct(), nifti);
        Path series = dir.resolve("head-dicom");
        new DicomSeriesWriter().writeFolder(head.ct(), series);

        Predicted fromNifti = predict(nifti, "nifti");
        Predicted fromDicom = predict(series, "dicom");

        assertThat(fromDicom.labels().geometry().sameGrid(fromNifti.labels().geometry(), 1e-4))
                .as("grid of the DICOM route %s, of the NIfTI route %s", fromDicom.labels().geometry(),
                        fromNifti.labels().geometry()).isTrue();
        assertThat(differingVoxels(fromDicom.labels(), fromNifti.labels())).as("voxels whose labels differ between the routes")
                .isZero();
        assertThat(fromDicom.uploadedCtSha256()).as("the CT the gateway received from each route")
                .isEqualTo(fromNifti.uploadedCtSha256());

        long[] counts = counts(fromDicom.labels());
        List<Integer> absent = new ArrayList<>();
        for (int label = 1; label <= AspectsRegion.COUNT; label++) {
            if (counts[label] == 0) {
                absent.add(label);
            }
        }
        assertThat(absent).as("regions absent from the DICOM route's labels").isEmpty();
        // the phantom's labels are in its canonical pose: out(q) = labels(pose⁻¹(q)) puts them on the CT's grid
        Volume truth = new Resampler(2).resample(head.labels(), head.pose().inverse(), Interpolation.NEAREST, 0, DataType.UINT8);
        ConfusionMatrix m = new SegmentationEvaluator(2).confusion(truth, fromDicom.labels());
        System.out.printf("predict of a DICOM series against the phantom's labels: mean IoU %.3f, left/right confusion %.4f%n",
                m.meanIoU(), m.leftRightConfusionRate());
        assertThat(m.leftRightConfusionRate()).as("share of region voxels labelled as their twin on the other side")
                .isLessThanOrEqualTo(MAX_LEFT_RIGHT_CONFUSION);
    }

    /** @param labels the fused labels on the CT's grid @param uploadedCtSha256 the checksum of the CT as the gateway received it */
    private record Predicted(Volume labels, String uploadedCtSha256) {
    }

    /** {@code triplane predict -i input -o OUT} under a new tenant; its fused labels on the CT's grid. */
    private static Predicted predict(Path input, String route) throws Exception {
        GatewayClient gateway = new GatewayClient(stack.properties().getProperty(StackProperties.GATEWAY_URL));
        String key = gateway.createTenant(stack.properties().getProperty(StackProperties.GATEWAY_ADMIN_TOKEN),
                "predict-" + route + "-" + UUID.randomUUID()).apiKey();
        Path out = dir.resolve("predicted-" + route);
        PackagedCli run = PackagedCli.run(dir, "predict", "-i", input.toString(), "-o", out.toString(), "--gateway",
                gateway.baseUrl(), "--api-key", key);
        assertThat(run.exit()).as("predict of the %s: %s%s", route, run.out(), run.err()).isZero();
        JsonNode scans = JSON.readTree(out.resolve("job.json").toFile()).get("scans");
        assertThat(scans).as("scans of the %s route's job", route).hasSize(1);
        Path scan = out.resolve("scans").resolve(scans.get(0).get("scanId").asText());
        JsonNode record = JSON.readTree(scan.resolve("scan.json").toFile());
        return new Predicted(NiftiReader.read(scan.resolve("segmentation.nii.gz")), record.path("upload").path("ctSha256").asText());
    }

    private static long differingVoxels(Volume a, Volume b) {
        byte[] x = ((VoxelBuffer.UInt8) a.voxels()).data;
        byte[] y = ((VoxelBuffer.UInt8) b.voxels()).data;
        assertThat(x).hasSameSizeAs(y);
        long differ = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                differ++;
            }
        }
        return differ;
    }

    private static long[] counts(Volume labels) {
        long[] counts = new long[AspectsRegion.CLASSES_WITH_BACKGROUND];
        for (byte b : ((VoxelBuffer.UInt8) labels.voxels()).data) {
            counts[b & 0xFF]++;
        }
        return counts;
    }
}
