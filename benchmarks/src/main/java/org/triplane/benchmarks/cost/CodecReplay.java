package org.triplane.benchmarks.cost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.volume.Volume;

/**
 * The (de)compression share of a stage, measured again outside the services: each stored volume is
 * decoded ({@link NiftiReader#read}, what the workers call on a download) and encoded
 * ({@link NiftiWriter#write}, what they call before an upload) in this JVM, timed by this thread's CPU
 * time. Run with the services' JVM options (C1 only) so that the code runs as it does there. Objects
 * are read from the local object store's folder ({@code <data>/objectstore/blobs/<bucket>/<key>}); a
 * key that is not a NIfTI volume (a transform) costs nothing here.
 */
final class CodecReplay {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Path bucket;
    private final Path scratch;
    private final Map<String, double[]> measured = new HashMap<>();

    /**
     * @param bucket  the bucket's folder: a key's object is the file at {@code bucket/key}
     * @param scratch where encoded copies are written (and deleted)
     */
    CodecReplay(Path bucket, Path scratch) {
        this.bucket = bucket;
        this.scratch = scratch;
    }

    /** @return the object's size, bytes @throws IllegalStateException naming the key when the object is missing */
    long size(String key) {
        try {
            return Files.size(bucket.resolve(key));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("object " + key + " is not in the object store at " + bucket.resolve(key), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU seconds to decode the object (0 for one that is not a volume). */
    double decodeSeconds(String key) {
        return measure(key)[0];
    }

    /** CPU seconds to encode the object's volume again (0 for one that is not a volume). */
    double compressSeconds(String key) {
        return measure(key)[1];
    }

    private double[] measure(String key) {
        return measured.computeIfAbsent(key, k -> {
            if (!k.endsWith(".nii.gz")) {
                return new double[] {0, 0};
            }
            try {
                long t0 = THREADS.getCurrentThreadCpuTime();
                Volume v = NiftiReader.read(bucket.resolve(k));
                long t1 = THREADS.getCurrentThreadCpuTime();
                Path copy = Files.createTempFile(scratch, "replay", ".nii.gz");
                try {
                    long t2 = THREADS.getCurrentThreadCpuTime();
                    NiftiWriter.write(v, copy);
                    long t3 = THREADS.getCurrentThreadCpuTime();
                    return new double[] {(t1 - t0) / 1e9, (t3 - t2) / 1e9};
                } finally {
                    Files.deleteIfExists(copy);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay the codec on " + bucket.resolve(k) + ": " + e.getMessage(), e);
            }
        });
    }
}
