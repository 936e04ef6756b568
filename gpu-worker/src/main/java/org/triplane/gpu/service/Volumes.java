package org.triplane.gpu.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;
import org.triplane.worker.storage.VolumeObjects;

/** Fetching the uint8 volumes a task works on (x fastest, LPS mm): bad files are poison, with the key named. */
final class Volumes {
    private Volumes() {
    }

    /**
     * A scan's windowed volume ({@link org.triplane.events.ObjectKeys#preprocessed}), a volume object.
     *
     * @throws PoisonInputException naming the scan and key when it is missing or unreadable
     */
    static Volume windowed(VolumeObjects volumes, UUID scanId, String key, Path target) {
        return volumes.fetchUInt8(key, target).orElseThrow(() -> new PoisonInputException("scan " + scanId
                + " has no preprocessed volume at " + key + "; re-run preprocessing on scan " + scanId
                + " (submit the job again)"));
    }

    /**
     * Downloads {@code key}, a NIfTI-1 volume, to {@code target} and reads it as a uint8 volume.
     *
     * @param expectedSha256 the checksum the scan record holds, or {@code null} for derived objects
     */
    static Volume fetchUInt8(ObjectStore objects, Backoff backoff, String key, Path target, String expectedSha256)
            throws IOException {
        backoff.run("download " + key, () -> objects.download(key, target));
        if (expectedSha256 != null) {
            String actual = Sha256.of(target);
            if (!actual.equals(expectedSha256)) {
                throw new PoisonInputException(key + " has SHA-256 " + actual + " but the scan record says " + expectedSha256
                        + "; the object was changed or corrupted after upload, upload the scan again");
            }
        }
        Volume v;
        try {
            v = NiftiReader.read(target);
        } catch (InvalidImageException e) {
            throw new PoisonInputException(key + ": " + e.getMessage(), e);
        }
        if (v.type() != DataType.UINT8) {
            throw new PoisonInputException(key + " holds " + v.type().label() + " voxels; uint8 expected");
        }
        return v;
    }
}
