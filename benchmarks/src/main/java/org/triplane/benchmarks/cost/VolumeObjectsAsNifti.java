package org.triplane.benchmarks.cost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.volume.Volume;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * Whether the volumes a pipeline run passed between its workers would have reached them unchanged
 * as gzip NIfTI, the way they were stored before volume objects: every volume object in a local
 * object store's bucket folder (for example {@code OUT/stack/objectstore/blobs/triplane} of a
 * {@code benchmarks/scan-cost.sh} run) is written as gzip NIfTI and read back, and its grid (every
 * float64) and voxels compared. All equal means the planes and fusion computed on exactly what they
 * computed on before, so their outputs are the same bytes. One line per object, then the count.
 *
 * <p>Usage: {@code VolumeObjectsAsNifti BUCKET_FOLDER}; exits 1 when any object differs or none is found.
 */
public final class VolumeObjectsAsNifti {
    private VolumeObjectsAsNifti() {
    }

    /** @return the keys of the volume objects under {@code bucket} that a NIfTI round trip changes */
    public static List<String> changedByNifti(Path bucket, List<String> checked) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(bucket)) {
            files = walk.filter(p -> p.toString().endsWith(ObjectKeys.VOLUME_OBJECT)).sorted().toList();
        }
        List<String> changed = new ArrayList<>();
        Path nifti = Files.createTempFile("volume-object", ".nii.gz");
        try {
            for (Path f : files) {
                String key = bucket.relativize(f).toString();
                Volume v = VolumeObjectFormat.read(f, key);
                NiftiWriter.write(v, nifti);
                if (!VolumeCodecTiming.sameVolume(NiftiReader.read(nifti), v)) {
                    changed.add(key);
                }
                checked.add(key);
            }
        } finally {
            Files.deleteIfExists(nifti);
        }
        return changed;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: VolumeObjectsAsNifti BUCKET_FOLDER");
            System.exit(2);
        }
        List<String> checked = new ArrayList<>();
        List<String> changed = changedByNifti(Path.of(args[0]), checked);
        checked.forEach(k -> System.out.println((changed.contains(k) ? "changed " : "same    ") + k));
        System.out.println((checked.size() - changed.size()) + " of " + checked.size()
                + " volume objects read back from gzip NIfTI with the same grid and voxels");
        System.exit(changed.isEmpty() && !checked.isEmpty() ? 0 : 1);
    }
}
