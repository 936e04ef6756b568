package org.triplane.worker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.nifti.InvalidImageException;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.volume.DataType;
import org.triplane.imaging.volume.Volume;
import org.triplane.objectstore.ObjectStore;
import org.triplane.worker.run.Backoff;
import org.triplane.worker.run.PoisonInputException;

/**
 * Storing and fetching the volumes one worker writes only for another to read (keys ending
 * {@link ObjectKeys#VOLUME_OBJECT}: the windowed volume, the intracranial masks), in
 * {@link VolumeObjectFormat}. The one place that knows where such a volume may lie: under its key,
 * or, for a scan preprocessed by the version before volume objects while its job was in flight,
 * as gzip NIfTI-1 under {@link ObjectKeys#legacyNifti}. Each object is downloaded once and decoded
 * once; one that cannot be read is poison, with its key and the problem in the reason.
 */
public final class VolumeObjects {
    /** The content type volume objects are stored with. */
    public static final String CONTENT_TYPE = "application/octet-stream";

    private final ObjectStore objects;
    private final Backoff backoff;

    public VolumeObjects(ObjectStore objects, Backoff backoff) {
        this.objects = objects;
        this.backoff = backoff;
    }

    /**
     * Writes {@code volume} to {@code file} in {@link VolumeObjectFormat} and uploads it under
     * {@code key} (replacing what is there: a redo stores the same bytes).
     *
     * @param key a key ending {@link ObjectKeys#VOLUME_OBJECT}
     */
    public void store(Volume volume, Path file, String key) {
        ObjectKeys.legacyNifti(key); // why: refuses a key that is not a volume object's before anything is written
        try {
            VolumeObjectFormat.write(volume, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + key + " to " + file + ": " + e.getMessage(), e);
        }
        backoff.run("upload " + key, () -> objects.put(key, file, CONTENT_TYPE));
    }

    /**
     * The uint8 volume stored under {@code key}, or under its legacy NIfTI key when only that exists.
     *
     * @param key    a key ending {@link ObjectKeys#VOLUME_OBJECT}
     * @param target where the download goes (replaced)
     * @return the volume (x fastest, LPS mm); empty when neither object exists
     * @throws PoisonInputException naming the key when the object is unreadable or not uint8
     */
    public Optional<Volume> fetchUInt8(String key, Path target) {
        String legacy = ObjectKeys.legacyNifti(key);
        boolean current = backoff.call("look up " + key, () -> objects.size(key)).isPresent();
        if (!current && backoff.call("look up " + legacy, () -> objects.size(legacy)).isEmpty()) {
            return Optional.empty();
        }
        String found = current ? key : legacy;
        backoff.run("download " + found, () -> objects.download(found, target));
        Volume v;
        try {
            v = current ? VolumeObjectFormat.read(target, found) : NiftiReader.read(target);
        } catch (InvalidVolumeObjectException e) {
            throw new PoisonInputException(e.getMessage(), e);
        } catch (InvalidImageException e) {
            throw new PoisonInputException(found + ": " + e.problem(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + found + " from " + target + ": " + e.getMessage(), e);
        }
        if (v.type() != DataType.UINT8) {
            throw new PoisonInputException(found + " holds " + v.type().label() + " voxels; uint8 expected");
        }
        return Optional.of(v);
    }
}
