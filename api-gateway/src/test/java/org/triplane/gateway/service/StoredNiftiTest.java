package org.triplane.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.triplane.gateway.testing.Phantoms;
import org.triplane.imaging.nifti.NiftiDeidentifier;
import org.triplane.imaging.phantom.PhantomDataset;
import org.triplane.imaging.phantom.PhantomSpec;

/**
 * A tiny phantom CT with the patient's name in its header, an extension and, as {@code gzip NAME.nii}
 * leaves it, in its gzip header's file name: de-identified, none of it is in the stored bytes;
 * otherwise the part is stored as sent.
 */
class StoredNiftiTest {

    @TempDir
    static Path dir;

    private static byte[] named;

    @BeforeAll
    static void phantom() throws IOException {
        PhantomDataset.Result r = PhantomDataset.write(PhantomSpec.of(24, 24, 12, new double[] {9.6, 9.6, 11.4}, 3), dir, 1,
                (done, total, s) -> { });
        named = Phantoms.withPatientName(Phantoms.gunzip(r.directory().resolve(r.subjects().get(0).ctFile())), "Doe^John");
    }

    @Test
    void deidentifiedNothingOfTheNameIsStored() throws IOException {
        byte[] sent = gzipNamed(named, "Doe_John.nii");
        UploadedPart part = UploadedPart.of("ct", Files.write(dir.resolve("sent.nii.gz"), sent));
        assertThat(new String(sent, StandardCharsets.ISO_8859_1)).contains("Doe_John.nii");

        UploadedPart stored = StoredNifti.of(part, true, dir);

        byte[] bytes = Files.readAllBytes(stored.file());
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("Doe");
        assertThat(bytes[3]).as("gzip flags: no name, comment or extra field").isZero();
        assertThat(ByteBuffer.wrap(bytes, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).as("gzip time").isZero();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        NiftiDeidentifier.copy(part.file(), copy);
        assertThat(Phantoms.gunzip(bytes)).isEqualTo(copy.toByteArray());
        assertThat(stored.sha256()).isEqualTo(Phantoms.sha256(bytes)).isNotEqualTo(part.sha256());
    }

    @Test
    void notDeidentifiedACompressedPartIsStoredAsSentAndAnUncompressedOneCompressed() throws IOException {
        UploadedPart gz = UploadedPart.of("ct", Files.write(dir.resolve("as-sent.nii.gz"), gzipNamed(named, "Doe_John.nii")));
        UploadedPart raw = UploadedPart.of("labels", Files.write(dir.resolve("as-sent.nii"), named));

        assertThat(StoredNifti.of(gz, false, dir)).isSameAs(gz);
        assertThat(Phantoms.gunzip(Files.readAllBytes(StoredNifti.of(raw, false, dir).file()))).isEqualTo(named);
    }

    /** @return {@code data} gzip-compressed with the original file name in the gzip header, as gzip(1) writes it */
    private static byte[] gzipNamed(byte[] data, String fileName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 8, 0x12, 0x34, 0x56, 0x67, 0, 3});
        out.writeBytes(fileName.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).putInt(data.length).array());
        return out.toByteArray();
    }
}
