package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadedPartTest {

    @TempDir
    Path dir;

    @Test
    void hashesTheBytes() throws IOException {
        Path f = Files.writeString(dir.resolve("abc"), "abc", StandardCharsets.US_ASCII);

        UploadedPart p = UploadedPart.of("transform", f);

        assertThat(p.sizeBytes()).isEqualTo(3);
        assertThat(p.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void missingAndEmptyPartsAreRefusedByName() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));

        assertThatThrownBy(() -> UploadedPart.of("ct", null)).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.part()).isEqualTo("ct");
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("missing");
        });
        assertThatThrownBy(() -> UploadedPart.of("labels", empty)).isInstanceOfSatisfying(RequestRejected.class, e -> {
            assertThat(e.part()).isEqualTo("labels");
            assertThat(e.getMessage()).contains("empty");
        });
    }
}
