package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.db.models.ModelSet;
import org.triplane.deploy.local.StackConfig;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.FinishedJobs;
import org.triplane.gateway.testing.HeadlessChromium;
import org.triplane.gateway.testing.OfflinePageCheck;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * The HTML report of a finished job: refused for an unfinished one, opened by API key or by a
 * signed link, its overlay images (PNG, labelled pixels coloured, background grey), and the page
 * loaded in a real headless browser (Debian's Chromium), whose own script must report every image
 * loaded and every chart drawn. Phantom scans are 48×48×24 voxels of 4.8×4.8×5.7 mm.
 */
class ReportIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static final String HOSTILE_NAME = "<b id=\"set\">it's & set</b>-";
    private static final String HOSTILE_NAME_ESCAPED = "&lt;b id=&quot;set&quot;&gt;it&#39;s &amp; set&lt;/b&gt;-";

    private static final Pattern IMG = Pattern.compile("<img class=\"overlay\" src=\"([^\"]+)\"");

    private static Api api;
    private static Api.Tenant tenant;
    private static FinishedJobs.Finished finished;
    private static FinishedJobs.Finished broken;
    private static UUID unfinished;

    @BeforeAll
    static void arrange() throws Exception {
        api = new Api(env.gatewayUrl());
        Phantoms phantoms = Phantoms.write(dir.resolve("phantoms"));
        FinishedJobs jobs = new FinishedJobs(env, api, dir);
        tenant = api.createTenant("report-" + UUID.randomUUID());
        FinishedJobs.Uploaded scan = jobs.upload(tenant, phantoms.subject(0));
        // a name with markup in it: the report must show it as text
        ModelSet set = jobs.modelSet(HOSTILE_NAME + UUID.randomUUID(), UUID.randomUUID(), List.of(scan.scanId()));
        finished = jobs.finish(tenant, "report-1", List.of(scan), set, 5);
        unfinished = jobs.submit(tenant, "report-2", List.of(scan), set);
        // a finished job whose fused labels went missing from the store: its images cannot be drawn
        broken = jobs.finish(tenant, "report-3", List.of(jobs.upload(tenant, phantoms.subject(1))), set, 6);
        StackConfig c = env.stack();
        MinioClient.builder().endpoint(c.s3Endpoint()).credentials(c.s3AccessKey(), c.s3SecretKey())
                .region(StackConfig.S3_REGION).build().removeObject(RemoveObjectArgs.builder().bucket(StackConfig.BUCKET)
                        .object(broken.scans().get(0).segmentationKey()).build());
    }

    private static Response get(String path) {
        return api.request().header("X-Api-Key", tenant.apiKey()).get(path);
    }

    private static String link(UUID job) {
        return get("/api/v1/jobs/" + job + "/report/link").then().statusCode(200).extract().path("url");
    }

    @Test
    void aJobThatHasNotSucceededHasNoReport() {
        Response r = get("/api/v1/jobs/" + unfinished + "/report");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.<String>path("detail")).contains("SUBMITTED").contains("SUCCEEDED");
        assertThat(api.request().get(link(unfinished)).statusCode()).isEqualTo(409);
    }

    @Test
    void theReportShowsTheTablesLegendChartsAndNineOverlaysOnlyFromThisGateway() {
        Response r = api.request().get(link(finished.jobId()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'").contains("default-src 'none'");
        String html = r.asString();
        assertThat(html).contains("data-report-status=\"loading\"").contains("Evaluation against the reference labels")
                .contains("id=\"chart-iou\"").contains("id=\"chart-dice\"").contains("id=\"chart-fpfn\"")
                .contains("id=\"chart-confusion\"").contains("/vendor/chartjs/chart.umd.min.js")
                .contains("not a diagnosis").contains("left M4").contains("right M3");
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("style=\"");
        assertThat(html).contains("<dt>model set</dt><dd>" + HOSTILE_NAME_ESCAPED).doesNotContain("<b id=");
        assertThat(html.split("class=\"swatch label-", -1).length - 1).as("legend, metric table and region table")
                .isEqualTo(20 + 20 + 20);
        assertThat(images(html)).hasSize(9);
        for (String path : List.of("/vendor/chartjs/chart.umd.min.js", "/vendor/chartjs-chart-matrix/chartjs-chart-matrix.min.js",
                "/report/report.js", "/report/report.css", "/vendor/chartjs/LICENSE.md")) {
            assertThat(api.request().get(path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(api.request().get("/reports/labels.css").asString()).contains(".label-20 {");
    }

    @Test
    void overlaysArePngsOfPhysicalProportionsWithColouredLabelsOnGreyCt() throws Exception {
        String html = api.request().get(link(finished.jobId())).then().statusCode(200).extract().asString();
        List<String> srcs = images(html);
        int[][] expectedSizes = {{256, 256}, {256, 152}, {256, 152}}; // axial 230×230 mm; coronal, sagittal 230×137 mm
        for (int i = 0; i < srcs.size(); i++) {
            Response png = api.request().get(srcs.get(i).replace("&amp;", "&"));
            assertThat(png.statusCode()).as(srcs.get(i)).isEqualTo(200);
            assertThat(png.contentType()).isEqualTo("image/png");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.asByteArray()));
            assertThat(new int[] {img.getWidth(), img.getHeight()}).as(srcs.get(i)).isEqualTo(expectedSizes[i / 3]);
            int grey = 0;
            int coloured = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    int r = (rgb >> 16) & 0xFF;
                    int g = (rgb >> 8) & 0xFF;
                    int b = rgb & 0xFF;
                    if (r == g && g == b) {
                        grey++;
                    } else {
                        coloured++;
                    }
                }
            }
            assertThat(coloured).as("labelled pixels in " + srcs.get(i)).isGreaterThan(100);
            assertThat(grey).as("unlabelled pixels in " + srcs.get(i)).isGreaterThan(5000);
            int slice = Integer.parseInt(png.header("X-Slice-Index"));
            assertThat(slice).isBetween(0, i / 3 == 0 ? 23 : 47);
        }
    }

    @Test
    void reportLinksNeedTheirTokenForTheirOwnJob() {
        String url = link(finished.jobId());
        String token = url.substring(url.indexOf("token=") + 6);
        assertThat(api.request().get(url).statusCode()).isEqualTo(200);
        assertThat(api.request().get("/reports/" + finished.jobId()).statusCode()).isEqualTo(403);
        Response tampered = api.request().get("/reports/" + finished.jobId() + "?token=" + token.substring(0, token.length() - 2) + "xx");
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.<String>path("part")).isEqualTo("token");
        assertThat(api.request().get("/reports/" + broken.jobId() + "?token=" + token).statusCode()).isEqualTo(403);
        String img = images(api.request().get(url).asString()).get(0).replace("&amp;", "&");
        assertThat(api.request().get(img.substring(0, img.indexOf('?'))).statusCode()).isEqualTo(403);
        Api.Tenant other = api.createTenant("report-other-" + UUID.randomUUID());
        assertThat(api.request().header("X-Api-Key", other.apiKey()).get("/api/v1/jobs/" + finished.jobId() + "/report/link")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aHeadlessBrowserLoadsTheReportWithEveryImageAndChartAndNoError() throws Exception {
        Optional<HeadlessChromium> browser = HeadlessChromium.find(dir);
        assumeTrue(browser.isPresent(), "no chromium binary (Debian: apt-get install chromium, which installs "
                + "/usr/bin/chromium): the browser check of the report is skipped");
        String dom = browser.get().dumpDom(env.gatewayUrl() + link(finished.jobId()));
        assertThat(status(dom)).as("report status in the browser; DOM:\n" + dom.substring(0, Math.min(dom.length(), 400)))
                .isEqualTo("ok");
        assertThat(dom).contains("Complete: 9 image(s) and 4 chart(s).");
        Path png = Path.of(System.getProperty("gateway.log", "target/x")).resolveSibling("report-screenshot.png");
        browser.get().screenshot(env.gatewayUrl() + link(finished.jobId()), png);
        assertThat(Files.size(png)).isGreaterThan(10_000);

        String failing = browser.get().dumpDom(env.gatewayUrl() + link(broken.jobId()));
        assertThat(status(failing)).as("a report whose images cannot load must say so").isEqualTo("error");
        assertThat(failing).containsPattern("data-report-error=\"[^\"]*\\.png");
    }

    @Test
    void theDownloadedReportHoldsItsImagesScriptsAndStylesAndNothingElse() throws Exception {
        Response r = get("/api/v1/jobs/" + finished.jobId() + "/report");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        String policy = r.header("Content-Security-Policy");
        assertThat(policy).startsWith("default-src 'none'; script-src 'sha256-").contains("img-src data:")
                .doesNotContain("'self'").doesNotContain("unsafe");
        String html = r.asString();
        assertThat(html).contains("Evaluation against the reference labels").contains("id=\"chart-confusion\"")
                .contains("not a diagnosis").contains("left M4").contains("right M3")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;");
        assertThat(html.split("class=\"swatch label-", -1).length - 1).isEqualTo(20 + 20 + 20);
        assertThat(html).contains("<dt>model set</dt><dd>" + HOSTILE_NAME_ESCAPED).doesNotContain("<b id=");
        // nothing the markup or styles could load from elsewhere: every src and href is a data: URI, no CSS url()
        // or @import (the scripts' own code is held to the page's policy and checked in the browser below)
        String markup = html.replaceAll("(?s)<script>.*?</script>", "<script></script>");
        assertThat(markup).doesNotContainPattern("(?i)\\b(src|href)\\s*=\\s*(?![\"']?data:)")
                .doesNotContainPattern("(?i)url\\s*\\(").doesNotContainPattern("(?i)@import")
                .doesNotContain("<link");
        List<String> srcs = images(html);
        assertThat(srcs).hasSize(9).allSatisfy(src -> assertThat(src).startsWith("data:image/png;base64,"));
        int[][] expectedSizes = {{256, 256}, {256, 152}, {256, 152}};
        for (int i = 0; i < srcs.size(); i++) {
            byte[] png = Base64.getDecoder().decode(srcs.get(i).substring("data:image/png;base64,".length()));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(new int[] {img.getWidth(), img.getHeight()}).as("image " + i).isEqualTo(expectedSizes[i / 3]);
        }
        Path file = dir.resolve("fetched").resolve("report.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, html, StandardCharsets.UTF_8);

        Optional<HeadlessChromium> browser = HeadlessChromium.find(dir);
        assumeTrue(browser.isPresent(), "no chromium binary (Debian: apt-get install chromium): the offline browser "
                + "check of the downloaded report is skipped");
        String dom = browser.get().dumpDomOffline(file);
        assertThat(status(dom)).as("report status opened from disk; DOM:\n" + dom.substring(0, Math.min(dom.length(), 400)))
                .isEqualTo("ok");
        assertThat(dom).contains("Complete: 9 image(s) and 4 chart(s).");
        // a check of our own, run in the page after its load: images decoded, charts with ink, the label colours
        // of the page's style applied, nothing fetched
        String verdict = OfflinePageCheck.run(browser.get(), file, dir.resolve("fetched").resolve("checked.html"));
        assertThat(verdict).isEqualTo("images=9 undecoded=0 charts=4 blank=0 swatches=60 uncoloured=0 requests=");
        Path png = Path.of(System.getProperty("gateway.log", "target/x")).resolveSibling("report-offline-screenshot.png");
        browser.get().screenshot(file.toUri().toString(), png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void aDownloadedReportWhoseImagesCannotBeDrawnIsRefusedNotWrittenWithout() {
        Response r = get("/api/v1/jobs/" + broken.jobId() + "/report");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(500);
        assertThat(r.<String>path("part")).isEqualTo("scanId");
        assertThat(r.<String>path("detail")).contains("scan " + broken.scans().get(0).scanId())
                .contains(broken.scans().get(0).segmentationKey()).contains("missing from the store");
    }

    private static String status(String dom) {
        Matcher m = Pattern.compile("<html[^>]*data-report-status=\"([a-z]+)\"").matcher(dom);
        return m.find() ? m.group(1) : "absent";
    }

    private static List<String> images(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
