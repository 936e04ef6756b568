package org.triplane.gateway.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triplane.imaging.nifti.NiftiWriter;

/**
 * Makes NIfTI parts gzip-compressed before they are stored, so that an object under a
 * {@code .nii.gz} key always is one, whichever form the client sent.
 */
final class Compression {

    private Compression() {
    }

    /** Writes the uncompressed content of a stored object. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** @param file a file @return whether it starts with the gzip magic bytes 1f 8b */
    static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file.getFileName(), e);
        }
    }

    /**
     * @param part    an uploaded NIfTI part
     * @param tempDir where a compressed copy may be written, or {@code null} for the system's
     * @return the part itself when already gzip-compressed, else a compressed copy (a new
     *         temporary file with its own size and SHA-256; the caller deletes it)
     */
    static UploadedPart gzipped(UploadedPart part, Path tempDir) {
        if (isGzip(part.file())) {
            return part;
        }
        return gzippedCopy(part, tempDir, out -> Files.copy(part.file(), out));
    }

    /**
     * @param part    the uploaded part the content is made from (its name names the copy)
     * @param tempDir where the copy is written, or {@code null} for the system's
     * @param content writes the copy's uncompressed bytes, streamed
     * @return the gzip-compressed copy: a new temporary file with its own size and SHA-256; the
     *         caller deletes it
     * @throws UncheckedIOException when the part cannot be read or the copy written; no file is left
     */
    static UploadedPart gzippedCopy(UploadedPart part, Path tempDir, Content content) {
        try {
            Path out = tempDir == null ? Files.createTempFile("triplane-" + part.name(), ".nii.gz")
                    : Files.createTempFile(tempDir, "triplane-" + part.name(), ".nii.gz");
            // why the writer's stream: every de-identified part is compressed anew, so the fast level matters
            try (OutputStream gz = NiftiWriter.fastGzip(Files.newOutputStream(out))) {
                content.writeTo(gz);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(out);
                throw e;
            }
            return UploadedPart.of(part.name(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing uploaded part " + part.name(), e);
        }
    }
}
