package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.models.ModelSet;
import org.triplane.deploy.local.StackConfig;
import org.triplane.events.ObjectKeys;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.FinishedJobs;
import org.triplane.gateway.testing.GatewayHeap;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.gateway.testing.ThinSliceScans;
import org.triplane.imaging.plane.Plane;

/**
 * The report of a thin-slice scan (512×512×600 int16, 315 MB of CT voxels) draws its nine overlays
 * within the gateway's stated heap, asked for all at once as a browser does, and keeps them in the
 * object store: the whole CT would not fit, so only the slices shown may be held.
 */
class ThinSliceReportIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static final int SLICES = 600;

    @Test
    void nineOverlaysOfASixHundredSliceScanAreDrawnWithinTheHeapAndKept() throws Exception {
        Api api = new Api(env.gatewayUrl());
        Api.Tenant tenant = api.createTenant("thin-report-" + UUID.randomUUID());
        Path ct = ThinSliceScans.ct(dir, SLICES);
        Path labels = ThinSliceScans.labels(dir, SLICES);
        Response uploaded = api.uploadFiles(tenant.apiKey(), List.of(new Api.FilePart("ct", ct)));
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        UUID scanId = UUID.fromString(uploaded.path("id"));
        FinishedJobs jobs = new FinishedJobs(env, api, dir);
        ModelSet set = jobs.modelSet(UUID.randomUUID(), List.of(scanId));
        FinishedJobs.Finished finished = jobs.finishWithFusedLabels(tenant, "thin-report", scanId, set, labels);
        String link = api.request().header("X-Api-Key", tenant.apiKey())
                .get("/api/v1/jobs/" + finished.jobId() + "/report/link").then().statusCode(200).extract().path("url");
        String token = link.substring(link.indexOf("token=") + "token=".length());
        GatewayHeap heap = env.heap();
        GatewayHeap.Mark mark = heap.mark();

        List<Future<Response>> answers = new ArrayList<>();
        ExecutorService browser = Executors.newFixedThreadPool(6);
        try {
            for (String plane : List.of("axial", "coronal", "sagittal")) {
                for (int i = 0; i < 3; i++) {
                    String path = "/reports/" + finished.jobId() + "/scans/" + scanId + "/overlays/" + plane + "/" + i
                            + ".png?token=" + token;
                    answers.add(browser.submit(() -> api.request().get(path)));
                }
            }
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
                assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(256);
            }
        } finally {
            browser.shutdownNow();
        }
        GatewayHeap.Span span = heap.since(mark);
        System.out.println("[report-heap] 512x512x" + SLICES + ": peak " + span.peakMiB() + " MiB, heap size "
                + span.maxSizeMiB() + " MiB, -Xmx " + StackConfig.GATEWAY_MAX_HEAP);

        StackConfig c = env.stack();
        MinioClient minio = MinioClient.builder().endpoint(c.s3Endpoint()).credentials(c.s3AccessKey(), c.s3SecretKey())
                .region(StackConfig.S3_REGION).build();
        for (String key : List.of(ObjectKeys.reportOverlayIndex(tenant.id(), finished.jobId(), scanId),
                ObjectKeys.reportOverlay(tenant.id(), finished.jobId(), scanId, Plane.SAGITTAL, 2))) {
            assertThat(minio.statObject(StatObjectArgs.builder().bucket(StackConfig.BUCKET).object(key).build()).size())
                    .as(key).isPositive();
        }

        // the downloaded, self-contained report holds the nine images of this scan as data: URIs
        Response page = api.request().header("X-Api-Key", tenant.apiKey()).get("/api/v1/jobs/" + finished.jobId() + "/report");
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        byte[] html = page.asByteArray();
        assertThat(new String(html, java.nio.charset.StandardCharsets.UTF_8).split("src=\"data:image/png;base64,", -1))
                .hasSize(9 + 1);
        System.out.println("[report-size] self-contained report, one 512x512x" + SLICES + " scan: " + html.length + " bytes");
    }
}
