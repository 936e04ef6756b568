package org.triplane.gateway.service;

import java.nio.file.Path;
import org.triplane.imaging.nifti.NiftiDeidentifier;

/**
 * What a NIfTI part (the CT or the labels) is stored as: with de-identification (the tenant's
 * setting, on unless an administrator turned it off) the {@link NiftiDeidentifier} copy of the part,
 * gzip-compressed: free-text header fields zeroed, extensions dropped ({@code vox_offset} 352), the
 * voxel bytes and every other header field as uploaded, whether or not the part had anything to
 * remove (a compressed part is inflated and compressed again, so its gzip header's file name and
 * time go too). Without it, the part byte for byte, gzip-compressed when it came uncompressed.
 *
 * <p>Either way the copy is streamed from the part's temporary file, one chunk at a time, never
 * holding the volume.
 */
final class StoredNifti {

    private StoredNifti() {
    }

    /**
     * @param part        an uploaded NIfTI part that passed the upload checks
     * @param deidentify  whether the tenant stores its uploads de-identified
     * @param tempDir     where a copy may be written, or {@code null} for the system's
     * @return what to store: the part itself, or a copy in a new temporary file with its own size and
     *         SHA-256 (the caller deletes it)
     */
    static UploadedPart of(UploadedPart part, boolean deidentify, Path tempDir) {
        if (!deidentify) {
            return Compression.gzipped(part, tempDir);
        }
        return Compression.gzippedCopy(part, tempDir, out -> NiftiDeidentifier.copy(part.file(), out));
    }
}
