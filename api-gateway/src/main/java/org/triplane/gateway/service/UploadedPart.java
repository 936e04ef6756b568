package org.triplane.gateway.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.triplane.imaging.checksum.Sha256;

/**
 * One part of a multipart upload, already on disk (the HTTP layer streams parts to temporary files;
 * nothing is held whole in memory).
 *
 * @param name      part name: {@code ct}, {@code transform} or {@code labels}
 * @param file      the temporary file
 * @param sizeBytes its size in bytes
 * @param sha256    SHA-256 of its bytes, 64 lower-case hex digits
 */
public record UploadedPart(String name, Path file, long sizeBytes, String sha256) {

    /**
     * Hashes a received part in one streaming pass.
     *
     * @param name part name
     * @param file where the HTTP layer wrote it, or {@code null} when the part was not sent
     * @return the part
     * @throws RequestRejected 400 when the part is missing or empty
     */
    public static UploadedPart of(String name, Path file) {
        if (file == null) {
            throw RequestRejected.badRequest(name, "part missing: send it as multipart/form-data part '" + name + "' with a file name");
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw RequestRejected.badRequest(name, "part is empty (0 bytes)");
            }
            return new UploadedPart(name, file, size, sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("reading uploaded part " + name, e);
        }
    }

    private static String sha256(Path file) throws IOException {
        return Sha256.of(Files.newInputStream(file)).hex();
    }
}
