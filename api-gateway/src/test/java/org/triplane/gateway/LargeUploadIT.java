package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.triplane.deploy.local.StackConfig;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.GatewayHeap;
import org.triplane.gateway.testing.StackAndGateway;
import org.triplane.gateway.testing.ThinSliceScans;

/**
 * A thin-slice head CT (512×512×300 int16, 157 MB uncompressed) with its labels is accepted by the
 * gateway at the heap the local stack gives it ({@link StackConfig#GATEWAY_MAX_HEAP}) and stored
 * de-identified (the default): streamed through the header rewrite and compressed anew, the same
 * NIfTI bytes since its header has nothing to remove. The gateway's peak heap over the upload is
 * read from its GC log and written to {@code target/upload-heap.tsv}. {@code -Dupload.slices=110,300,600}
 * uploads other slice counts (what {@code benchmarks/gateway-upload-heap.sh} runs for BENCHMARKS.md,
 * section 15); {@code -Dupload.deidentify=false} uploads for a tenant that stores its uploads as sent.
 */
class LargeUploadIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static final boolean DEIDENTIFY = Boolean.parseBoolean(System.getProperty("upload.deidentify", "true"));

    private static Api api;
    private static Api.Tenant tenant;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        tenant = api.createTenant("large-uploads", DEIDENTIFY);
    }

    static IntStream slices() {
        return Arrays.stream(System.getProperty("upload.slices", "300").split(",")).map(String::strip).mapToInt(Integer::parseInt);
    }

    @ParameterizedTest(name = "512×512×{0} int16 with labels")
    @MethodSource("slices")
    void aThinSliceScanIsAcceptedAtTheGatewaysHeap(int slices) throws Exception {
        Path ct = ThinSliceScans.ct(dir, slices);
        Path labels = ThinSliceScans.labels(dir, slices);
        GatewayHeap heap = env.heap();
        GatewayHeap.Mark mark = heap.mark();

        long start = System.nanoTime();
        Response r = api.uploadFiles(tenant.apiKey(), List.of(new Api.FilePart("ct", ct), new Api.FilePart("labels", labels)));
        double seconds = (System.nanoTime() - start) / 1e9;
        GatewayHeap.Span span = heap.since(mark);
        record(slices, Files.size(ct), Files.size(labels), seconds, span);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        assertThat(r.<List<Integer>>path("geometry.dims")).containsExactly(512, 512, slices);
        assertThat(r.<Boolean>path("upload.deidentified")).isEqualTo(DEIDENTIFY);
        assertThat(r.<String>path("upload.ctSha256")).isEqualTo(sha256(Files.newInputStream(ct)));
        assertThat(r.<String>path("upload.labelsSha256")).isEqualTo(sha256(Files.newInputStream(labels)));
        assertThat(sha256(download(r.path("id"), "ct"))).as("stored CT's checksum").isEqualTo(r.<String>path("ct.sha256"));
        assertThat(sha256(new GZIPInputStream(download(r.path("id"), "ct"), 1 << 16))).as("stored CT read back, uncompressed")
                .isEqualTo(sha256(new GZIPInputStream(Files.newInputStream(ct), 1 << 16)));
        Files.delete(ct);
        Files.delete(labels);
    }

    private static final String COLUMNS = "scan\tct bytes\tlabel bytes\tupload s\tpeak MiB\tmax live MiB\theap size MiB"
            + "\tcollections\t-Xmx\tstored\n";

    private static void record(int slices, long ctBytes, long labelBytes, double seconds, GatewayHeap.Span span) throws IOException {
        String line = String.format(Locale.ROOT, "512x512x%d\t%d\t%d\t%.1f\t%d\t%d\t%d\t%d\t%s\t%s%n", slices, ctBytes, labelBytes,
                seconds, span.peakMiB(), span.maxLiveMiB(), span.maxSizeMiB(), span.collections(), StackConfig.GATEWAY_MAX_HEAP,
                DEIDENTIFY ? "de-identified" : "as sent");
        System.out.print("[upload-heap] " + COLUMNS + "[upload-heap] " + line);
        Path out = Path.of("target/upload-heap.tsv");
        if (!Files.exists(out)) {
            Files.writeString(out, COLUMNS);
        }
        Files.writeString(out, line, StandardOpenOption.APPEND);
    }

    private static InputStream download(String scanId, String part) throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create(env.gatewayUrl() + "/api/v1/scans/" + scanId + "/objects/" + part))
                .header("X-Api-Key", tenant.apiKey()).timeout(Duration.ofMinutes(2)).build();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String sha256(InputStream in) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
