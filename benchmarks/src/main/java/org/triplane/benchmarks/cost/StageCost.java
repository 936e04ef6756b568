package org.triplane.benchmarks.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One stage's totals over a job (all its scans): preprocess, one plane's tasks, or fusion. Seconds
 * are wall-clock from the tasks' own records; the codec seconds are CPU seconds of the same
 * objects decoded and compressed again by {@link CodecReplay}.
 */
final class StageCost {
    /** Phases the services record inside another one, shown but never added: the networks within {@code infer}, a total. */
    static final Set<String> NESTED = Set.of("network", "total");
    /** The phases that move objects: the download (with, in the gpu- and fusion-worker, decoding) and the upload (with compressing). */
    static final Set<String> TRANSFER = Set.of("download", "upload");

    private final String name;
    private int tasks;
    private double taskWallSeconds;
    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    private final ObjectFigures now = new ObjectFigures();
    private final ObjectFigures before = new ObjectFigures();

    /** Bytes of the objects a stage reads and writes, and the CPU seconds to decode and encode them. */
    static final class ObjectFigures {
        private long bytesRead;
        private long bytesWritten;
        private double decodeCpuSeconds;
        private double compressCpuSeconds;

        void addRead(long bytes, double decodeCpu) {
            bytesRead += bytes;
            decodeCpuSeconds += decodeCpu;
        }

        void addWritten(long bytes, double compressCpu) {
            bytesWritten += bytes;
            compressCpuSeconds += compressCpu;
        }

        void add(ObjectFigures o) {
            addRead(o.bytesRead, o.decodeCpuSeconds);
            addWritten(o.bytesWritten, o.compressCpuSeconds);
        }

        long bytesRead() {
            return bytesRead;
        }

        long bytesWritten() {
            return bytesWritten;
        }

        double decodeCpuSeconds() {
            return decodeCpuSeconds;
        }

        double compressCpuSeconds() {
            return compressCpuSeconds;
        }
    }

    StageCost(String name) {
        this.name = name;
    }

    /** One task: its wall time (start to finish of its last attempt) and its recorded phases. */
    void addTask(double wallSeconds, Map<String, Double> phases) {
        tasks++;
        taskWallSeconds += wallSeconds;
        phases.forEach((phase, s) -> phaseSeconds.merge(phase, s, Double::sum));
    }

    void addRead(long bytes) {
        now.addRead(bytes, 0);
    }

    void addWritten(long bytes) {
        now.addWritten(bytes, 0);
    }

    void addDecode(double cpuSeconds) {
        now.addRead(0, cpuSeconds);
    }

    void addCompress(double cpuSeconds) {
        now.addWritten(0, cpuSeconds);
    }

    String name() {
        return name;
    }

    /** The objects as stored now. */
    ObjectFigures now() {
        return now;
    }

    /**
     * The same objects as every volume was stored before volume objects (gzip NIfTI-1, read with a
     * counting inflation first; {@link CodecReplay}).
     */
    ObjectFigures before() {
        return before;
    }

    int tasks() {
        return tasks;
    }

    double taskWallSeconds() {
        return taskWallSeconds;
    }

    /** Phase → seconds summed over the tasks, in the order first recorded. */
    Map<String, Double> phaseSeconds() {
        return new LinkedHashMap<>(phaseSeconds);
    }

    long bytesRead() {
        return now.bytesRead();
    }

    long bytesWritten() {
        return now.bytesWritten();
    }

    double decodeCpuSeconds() {
        return now.decodeCpuSeconds();
    }

    double compressCpuSeconds() {
        return now.compressCpuSeconds();
    }

    /** Download plus upload phases. */
    double transferSeconds() {
        return sum(TRANSFER::contains);
    }

    /** The networks' forward passes ({@code network}, within {@code infer}); 0 for a stage without them. */
    double networkSeconds() {
        return phaseSeconds.getOrDefault("network", 0.0);
    }

    /** Every recorded phase that is neither a transfer nor nested, less the networks: the stage's own computing. */
    double otherComputeSeconds() {
        return sum(p -> !TRANSFER.contains(p) && !NESTED.contains(p)) - networkSeconds();
    }

    private double sum(java.util.function.Predicate<String> which) {
        return phaseSeconds.entrySet().stream().filter(e -> which.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }
}
