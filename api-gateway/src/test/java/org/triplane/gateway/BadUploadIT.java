package org.triplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.triplane.gateway.testing.Api;
import org.triplane.gateway.testing.GzipBombs;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.gateway.testing.Residue;
import org.triplane.gateway.testing.StackAndGateway;

/**
 * Every kind of bad upload is refused with a 4xx naming the part and the problem (400; 413 for a
 * volume whose header declares more than the upload limits), and leaves no object in the bucket
 * and no row in the scans table.
 */
class BadUploadIT {

    @RegisterExtension
    static final StackAndGateway env = new StackAndGateway();

    @TempDir
    static Path dir;

    private static Api api;
    private static Api.Tenant tenant;
    private static Phantoms phantoms;

    @BeforeAll
    static void setUp() {
        api = new Api(env.gatewayUrl());
        tenant = api.createTenant("bad-uploads");
        phantoms = Phantoms.write(dir);
    }

    /** A case: what to send, which part must be named, a fragment of the expected error. */
    record Case(String name, List<Api.Part> parts, String part, String errorFragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static byte[] ct() {
        return Phantoms.bytes(phantoms.subject(0).ct());
    }

    private static byte[] rawCt() {
        return Phantoms.gunzip(phantoms.subject(0).ct());
    }

    private static byte[] rawLabels() {
        return Phantoms.gunzip(phantoms.subject(0).labels());
    }

    private static String transformText() {
        return new String(Phantoms.bytes(phantoms.subject(0).transform()), StandardCharsets.UTF_8);
    }

    private static String withParameters(String parameters) {
        return transformText().replaceAll("(?m)^Parameters:.*$", "Parameters: " + parameters);
    }

    private static List<Api.Part> upload(byte[] ct, String transform, byte[] labels) {
        List<Api.Part> parts = new ArrayList<>();
        if (ct != null) {
            parts.add(new Api.Part("ct", "ct.nii.gz", ct));
        }
        if (transform != null) {
            parts.add(new Api.Part("transform", "transform.txt", transform.getBytes(StandardCharsets.UTF_8)));
        }
        if (labels != null) {
            parts.add(new Api.Part("labels", "labels.nii", labels));
        }
        return parts;
    }

    static Stream<Case> cases() {
        byte[] raw = rawCt();
        byte[] labels = rawLabels();
        byte[] outOfRange = labels.clone();
        outOfRange[Phantoms.dataOffset(labels) + 5] = 21;
        byte[] gz = ct();
        return Stream.of(
                new Case("bad magic", upload(Phantoms.withMagic(raw, "xyz"), transformText(), null), "ct", "magic"),
                new Case("truncated gzip", upload(Arrays.copyOf(gz, gz.length / 2), transformText(), null), "ct", "gzip"),
                new Case("zero dimension", upload(Phantoms.withShort(raw, 44, 0), transformText(), null), "ct", "dimension 2 is 0"),
                new Case("data shorter than the header", upload(Arrays.copyOf(raw, Phantoms.dataOffset(raw) + 1000),
                        transformText(), null), "ct", "data shorter than the header"),
                new Case("unsupported datatype", upload(Phantoms.withShort(Phantoms.withShort(raw, 70, 128), 72, 24),
                        transformText(), null), "ct", "unsupported datatype"),
                new Case("labels grid differs", upload(gz, transformText(), Phantoms.bytes(phantoms.otherGridLabels())),
                        "labels", "grid differs"),
                new Case("labels out of 0..20", upload(gz, transformText(), outOfRange), "labels", "outside the labels 0..20"),
                new Case("labels not NIfTI", upload(gz, transformText(), "not an image".repeat(40).getBytes(StandardCharsets.UTF_8)),
                        "labels", "NIfTI"),
                new Case("transform wrong parameter count", upload(gz, withParameters("1 0 0 0 1 0 0 0 1 0 0"), null),
                        "transform", "parameters"),
                new Case("transform NaN", upload(gz, withParameters("1 0 0 0 1 0 0 0 NaN 0 0 0"), null), "transform", "finite"),
                new Case("transform not a rotation", upload(gz, withParameters("2 0 0 0 1 0 0 0 1 0 0 0"), null),
                        "transform", "not a rotation"),
                new Case("transform mirrors", upload(gz, withParameters("-1 0 0 0 1 0 0 0 1 0 0 0"), null),
                        "transform", "not a rotation"),
                new Case("transform not a transform file", upload(gz, "hello\n", null), "transform", "ITK"),
                new Case("missing ct part", upload(null, transformText(), null), "ct", "missing"),
                new Case("empty ct part", upload(new byte[0], transformText(), null), "ct", "empty"),
                new Case("ct is a text file", upload(transformText().getBytes(StandardCharsets.UTF_8), transformText(), null),
                        "ct", "NIfTI"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedNamingThePart(Case c) {
        Response r = api.upload(tenant.apiKey(), c.parts());

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertThat(r.<String>path("part")).as(r.asString()).isEqualTo(c.part());
        assertThat(r.<String>path("detail")).as(r.asString()).containsIgnoringCase(c.errorFragment());
        assertThat(r.<String>path("detail")).as("no server paths in messages").doesNotContain("/tmp/");
    }

    static Stream<Case> oversized() {
        byte[] raw = rawCt();
        return Stream.of(
                new Case("deflate bomb (256×256×384 int16 from about 49 KB)", upload(Phantoms.bytes(GzipBombs.bomb(raw,
                        new int[] {256, 256, 384}, dir.resolve("bomb.nii.gz"))), transformText(), null), "ct",
                        "refused before inflating it"),
                new Case("small gzip claiming 1 GiB", upload(Phantoms.bytes(GzipBombs.poisoned(raw, new int[] {1024, 1024, 512},
                        dir.resolve("claim.nii.gz"))), transformText(), null), "ct", "volume too large"),
                new Case("labels claiming 512 Mi voxels", upload(ct(), transformText(), Phantoms.bytes(GzipBombs.poisoned(
                        rawLabels(), new int[] {1024, 1024, 512}, dir.resolve("labels-claim.nii.gz")))), "labels",
                        "volume too large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversized")
    void oversizedVolumesAreRefusedWith413NamingThePart(Case c) {
        Response r = api.upload(tenant.apiKey(), c.parts());

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(413);
        assertThat(r.<String>path("part")).as(r.asString()).isEqualTo(c.part());
        assertThat(r.<String>path("detail")).as(r.asString()).containsIgnoringCase(c.errorFragment());
        assertThat(r.<String>path("detail")).as("no server paths in messages").doesNotContain("/tmp/");
    }

    @AfterAll
    static void nothingWasStored() {
        Residue residue = new Residue(env);
        assertThat(residue.objects(tenant.id())).as("objects in the bucket").isZero();
        assertThat(residue.scanRows(tenant.id())).as("rows in scans").isZero();
    }
}
