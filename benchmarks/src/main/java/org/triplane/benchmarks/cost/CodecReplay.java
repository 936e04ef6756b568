package org.triplane.benchmarks.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.triplane.events.ObjectKeys;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.volume.Volume;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * The codec's share of a stage, measured again outside the services, for each stored object in the
 * format it is stored in and, on the same volume, as it was stored before volume objects:
 * <ul>
 * <li><b>now:</b> a {@link ObjectKeys#VOLUME_OBJECT} key decoded and encoded with
 *     {@link VolumeObjectFormat}, a {@code .nii.gz} key with {@link NiftiReader#read} (one inflation
 *     when the gzip trailer vouches for the header) and {@link NiftiWriter#write};</li>
 * <li><b>before:</b> every volume as gzip NIfTI-1, its size as {@link NiftiWriter} writes it, decoded
 *     as the reader did then: the file inflated once to count its data, then read
 *     ({@link #inflate} plus {@link NiftiReader#read}).</li>
 * </ul>
 * CPU seconds are this thread's CPU time; run with the services' JVM options (C1 only) so that the code
 * runs as it does there. Objects are read from the local object store's folder
 * ({@code <data>/objectstore/blobs/<bucket>/<key>}); a key that is not a volume (a transform) costs
 * nothing here and has one size.
 */
final class CodecReplay {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * One object's figures.
     *
     * @param size            bytes as stored now
     * @param decodeSeconds   CPU seconds to read it as stored now
     * @param encodeSeconds   CPU seconds to write it as stored now
     * @param niftiSize       bytes as gzip NIfTI-1 (= {@code size} for an object stored so)
     * @param niftiDecode     CPU seconds to read it as gzip NIfTI-1 with the counting inflation before
     * @param niftiEncode     CPU seconds to write it as gzip NIfTI-1
     */
    record Figures(long size, double decodeSeconds, double encodeSeconds, long niftiSize, double niftiDecode,
                   double niftiEncode) {
    }

    private final Path bucket;
    private final Path scratch;
    private final Map<String, Figures> measured = new HashMap<>();

    /**
     * @param bucket  the bucket's folder: a key's object is the file at {@code bucket/key}
     * @param scratch where encoded copies are written (and deleted)
     */
    CodecReplay(Path bucket, Path scratch) {
        this.bucket = bucket;
        this.scratch = scratch;
    }

    /** @throws IllegalStateException naming the key when the object is missing */
    Figures of(String key) {
        return measured.computeIfAbsent(key, k -> {
            try {
                return measure(k);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay the codec on " + bucket.resolve(k) + ": " + e.getMessage(), e);
            }
        });
    }

    private Figures measure(String key) throws IOException {
        Path file = bucket.resolve(key);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("object " + key + " is not in the object store at " + file, e);
        }
        boolean volumeObject = key.endsWith(ObjectKeys.VOLUME_OBJECT);
        if (!volumeObject && !key.endsWith(".nii.gz")) {
            return new Figures(size, 0, 0, size, 0, 0);
        }
        long t0 = cpu();
        Volume v = volumeObject ? VolumeObjectFormat.read(file, key) : NiftiReader.read(file);
        long t1 = cpu();
        Path copy = Files.createTempFile(scratch, "replay", volumeObject ? ObjectKeys.VOLUME_OBJECT : ".nii.gz");
        Path nifti = Files.createTempFile(scratch, "replay", ".nii.gz");
        try {
            long t2 = cpu();
            if (volumeObject) {
                VolumeObjectFormat.write(v, copy);
            } else {
                NiftiWriter.write(v, copy);
            }
            long t3 = cpu();
            NiftiWriter.write(v, nifti);
            long t4 = cpu();
            inflate(nifti);
            NiftiReader.read(nifti);
            long t5 = cpu();
            return new Figures(size, s(t1 - t0), s(t3 - t2), volumeObject ? Files.size(nifti) : size, s(t5 - t4), s(t4 - t3));
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(nifti);
        }
    }

    /** The reader's former counting pass: the whole gzip file inflated into one reused 8 MB chunk. */
    static long inflate(Path gzip) throws IOException {
        byte[] chunk = new byte[8 << 20];
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzip), 1 << 16)) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
            }
        }
        return total;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double s(long nanos) {
        return nanos / 1e9;
    }
}
