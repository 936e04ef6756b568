package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionTest {

    @TempDir
    Path dir;

    @Test
    void rawFileIsCompressedWithItsOwnChecksum() throws IOException {
        byte[] raw = new byte[10_000];
        raw[0] = 92;
        Path f = Files.write(dir.resolve("ct.nii"), raw);
        UploadedPart part = UploadedPart.of("ct", f);

        UploadedPart gz = Compression.gzipped(part, dir);

        assertThat(gz.file()).isNotEqualTo(f);
        assertThat(Compression.isGzip(gz.file())).isTrue();
        assertThat(gz.sha256()).isNotEqualTo(part.sha256());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz.file()))) {
            assertThat(in.readAllBytes()).isEqualTo(raw);
        }
    }

    @Test
    void compressedFileIsKeptAsSent() throws IOException {
        Path raw = Files.write(dir.resolve("ct.nii"), new byte[1000]);
        UploadedPart gz = Compression.gzipped(UploadedPart.of("ct", raw), dir);

        assertThat(Compression.gzipped(gz, dir)).isSameAs(gz);
    }
}
