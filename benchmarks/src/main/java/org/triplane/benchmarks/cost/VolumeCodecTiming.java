package org.triplane.benchmarks.cost;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.triplane.imaging.nifti.NiftiReader;
import org.triplane.imaging.nifti.NiftiWriter;
import org.triplane.imaging.phantom.PhantomGenerator;
import org.triplane.imaging.phantom.PhantomSpec;
import org.triplane.imaging.phantom.PhantomSubject;
import org.triplane.imaging.resample.Resampler;
import org.triplane.imaging.resample.Window;
import org.triplane.imaging.resample.WindowedRotation;
import org.triplane.imaging.volume.Volume;
import org.triplane.imaging.volume.VoxelBuffer;
import org.triplane.worker.storage.VolumeObjectFormat;

/**
 * The codecs of one study-size scan's volumes, each alone: a synthetic study-grid subject
 * ({@link PhantomSpec#study}, 512×512×110; its CT and labels read back from gzip NIfTI, as the workers
 * get them), its windowed volume (rotated through its pose, the study
 * window, uint8), a 0/1 mask (its labelled regions), its labels (uint8 0..20) and its CT (int16 HU).
 * Per volume: bytes raw, as a volume object ({@link VolumeObjectFormat}, LZ4) and as gzip NIfTI-1;
 * whether it reads back from gzip NIfTI with the same grid and voxels ({@code same_after_nifti} 1);
 * median CPU milliseconds of this thread to write and to read each, reading gzip NIfTI both as
 * {@link NiftiReader} does now and with the counting inflation it did first before
 * ({@link CodecReplay#inflate}: the whole file inflated once more). One JSON line per volume.
 *
 * <p>Usage: {@code VolumeCodecTiming [REPEATS] [SEED]} (defaults 5, 7701); run it with the services'
 * JIT and collector ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}).
 */
public final class VolumeCodecTiming {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private VolumeCodecTiming() {
    }

    /** Volume name → figure name → value (bytes, or median CPU ms). */
    public static Map<String, Map<String, Double>> run(int repeats, long seed, Path scratch) throws IOException {
        PhantomSubject subject = new PhantomGenerator(PhantomSpec.study(seed), 2).generate(1);
        Path nifti = scratch.resolve("v.nii.gz");
        // why through NIfTI: the workers start from the CT and labels as uploaded, their grid as a NIfTI file holds it
        NiftiWriter.write(subject.ct(), nifti);
        Volume ct = NiftiReader.read(nifti);
        NiftiWriter.write(subject.labels(), nifti);
        Volume labelVolume = NiftiReader.read(nifti);
        Volume windowed = new WindowedRotation(new Resampler(2)).apply(ct, subject.pose(), Window.STUDY);
        byte[] labels = ((VoxelBuffer.UInt8) labelVolume.voxels()).data;
        byte[] mask = new byte[labels.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (labels[i] == 0 ? 0 : 1);
        }
        Map<String, Volume> volumes = new LinkedHashMap<>();
        volumes.put("windowed uint8", windowed);
        volumes.put("mask uint8 0/1", new Volume(labelVolume.geometry(), new VoxelBuffer.UInt8(mask)));
        volumes.put("labels uint8", labelVolume);
        volumes.put("CT int16", ct);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Path object = scratch.resolve("v.tpvol");
        for (Map.Entry<String, Volume> e : volumes.entrySet()) {
            Volume v = e.getValue();
            // why: the planes and fusion compute on what they read; from NIfTI it must be what a volume object holds
            NiftiWriter.write(v, nifti);
            boolean sameAfterNifti = sameVolume(NiftiReader.read(nifti), v);
            List<double[]> rounds = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                long t0 = cpu();
                VolumeObjectFormat.write(v, object);
                long t1 = cpu();
                VolumeObjectFormat.read(object, "v.tpvol");
                long t2 = cpu();
                NiftiWriter.write(v, nifti);
                long t3 = cpu();
                NiftiReader.read(nifti);
                long t4 = cpu();
                CodecReplay.inflate(nifti);
                long t5 = cpu();
                rounds.add(new double[] {ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t4 - t3 + t5 - t4)});
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("raw_bytes", (double) v.geometry().voxelCount() * v.type().bytes());
            m.put("object_bytes", (double) Files.size(object));
            m.put("nifti_gz_bytes", (double) Files.size(nifti));
            m.put("same_after_nifti", sameAfterNifti ? 1.0 : 0.0);
            String[] names = {"object_write_ms", "object_read_ms", "nifti_write_ms", "nifti_read_ms", "nifti_read_before_ms"};
            for (int k = 0; k < names.length; k++) {
                int col = k;
                m.put(names[k], median(rounds.stream().mapToDouble(a -> a[col]).toArray()));
            }
            out.put(e.getKey(), m);
        }
        Files.deleteIfExists(object);
        Files.deleteIfExists(nifti);
        return out;
    }

    /** Equal grids (every number) and equal voxels. */
    static boolean sameVolume(Volume a, Volume b) {
        if (!a.geometry().equals(b.geometry()) || a.type() != b.type()) {
            return false;
        }
        for (int i = 0; i < a.voxels().length(); i++) {
            if (a.voxels().get(i) != b.voxels().get(i)) {
                return false;
            }
        }
        return true;
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void main(String[] args) throws IOException {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7701L;
        Path scratch = Files.createTempDirectory("volume-codec-timing");
        try {
            run(repeats, seed, scratch).forEach((name, m) -> {
                StringBuilder b = new StringBuilder("{\"volume\":\"").append(name).append('"');
                m.forEach((k, val) -> b.append(String.format(Locale.ROOT, ",\"%s\":%s", k,
                        k.endsWith("_bytes") || k.startsWith("same_") ? String.valueOf(val.longValue()) : String.format(Locale.ROOT, "%.1f", val))));
                System.out.println(b.append('}'));
            });
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
