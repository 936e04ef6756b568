package org.triplane.fusion.service;

import java.io.IOException;
import java.nio.file.Path;
import org.triplane.db.scans.StoredObject;
import org.triplane.imaging.checksum.Sha256;
import org.triplane.imaging.geometry.AffineTransform;
import org.triplane.imaging.geometry.InvalidTransformException;
import org.triplane.imaging.geometry.ItkTransformFile;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;

/**
 * Fetching what a fusion task reads: volumes (x fastest, LPS mm) and the transform file. Inputs
 * the scan record names are checked against its SHA-256; anything unreadable is poison, with the
 * object key and the problem in the reason.
 */
final class Downloads {
    private final ObjectStore objects;
    private final Backoff backoff;

    Downloads(ObjectStore objects, Backoff backoff) {
        this.objects = objects;
        this.backoff = backoff;
    }

    /** A derived uint8 volume (plane prediction): no recorded checksum to compare with. */
    Volume uint8(String key, Path target) throws IOException {
        backoff.run("download " + key, () -> objects.download(key, target));
        return requireUInt8(read(key, target), key);
    }

    /** A volume the scan record names, verified against its recorded SHA-256. */
    Volume verifiedVolume(StoredObject object, Path target, String what) throws IOException {
        fetchVerified(object, target, what);
        return read(object.key(), target);
    }

    /** The scan's ITK transform file, verified against its recorded SHA-256. */
    AffineTransform verifiedTransform(StoredObject object, Path target) throws IOException {
        fetchVerified(object, target, "transform file");
        try {
            return ItkTransformFile.read(target);
        } catch (InvalidTransformException e) {
            throw new PoisonInputException("transform file " + object.key() + ": " + e.getMessage(), e);
        }
    }

    static Volume requireUInt8(Volume v, String key) {
        if (v.type() != DataType.UINT8) {
            throw new PoisonInputException(key + " holds " + v.type().label() + " voxels; uint8 labels expected");
        }
        return v;
    }

    private void fetchVerified(StoredObject object, Path target, String what) throws IOException {
        backoff.run("download " + object.key(), () -> objects.download(object.key(), target));
        String actual = Sha256.of(target);
        if (!actual.equals(object.sha256())) {
            throw new PoisonInputException(what + " " + object.key() + " has SHA-256 " + actual + " but the scan record says "
                    + object.sha256() + "; the object was changed or corrupted after upload, upload the scan again");
        }
    }

    private static Volume read(String key, Path file) throws IOException {
        try {
            return NiftiReader.read(file);
        } catch (InvalidImageException e) {
            throw new PoisonInputException(key + ": " + e.getMessage(), e);
        }
    }
}
