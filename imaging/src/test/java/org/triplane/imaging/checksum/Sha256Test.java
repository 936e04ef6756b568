package org.triplane.imaging.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    /** FIPS 180-2's example: SHA-256("abc"). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** SHA-256 of no bytes. */
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void bytesStreamsAndFilesGiveTheStandardDigest(@TempDir Path dir) throws IOException {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);

        assertEquals(ABC, Sha256.of(abc));
        assertEquals(new Sha256(ABC, 3), Sha256.of(new ByteArrayInputStream(abc)));
        assertEquals(ABC, Sha256.of(Files.write(dir.resolve("abc"), abc)));
        assertEquals(EMPTY, Sha256.of(new byte[0]));
    }

    @Test
    void aStreamLongerThanTheBufferIsCountedWhole() throws IOException {
        byte[] big = new byte[(1 << 16) * 3 + 17];
        big[big.length - 1] = 1;

        Sha256 streamed = Sha256.of(new ByteArrayInputStream(big));

        assertEquals(big.length, streamed.bytes());
        assertEquals(Sha256.of(big), streamed.hex());
        assertNotEquals(Sha256.of(new byte[big.length]), streamed.hex());
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.nii.gz");

        IOException e = assertThrows(IOException.class, () -> Sha256.of(missing));
        assertTrue(e.getMessage().contains("nowhere.nii.gz"), e.getMessage());
    }
}
