package org.triplane.benchmarks.cost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.triplane.deploy.local.StackConfig;

/**
 * What {@link ScanCostRun} is asked to do.
 *
 * @param out         where the scans, the report and the stack's data go
 * @param scans       study-size scans in each measured job
 * @param gpuWorkers  the gpu-worker counts to measure, in order (the stack grows between them)
 * @param trainScans  scans the model set is trained on (the first ones; one of them validates)
 * @param warmup      scans per gpu-worker in the warm-up job before each measured one (0: none)
 * @param seed        the synthetic scans' seed
 * @param clockTicks  the kernel's clock ticks per second ({@code getconf CLK_TCK}), the unit of /proc's CPU times
 */
record RunOptions(Path out, int scans, List<Integer> gpuWorkers, int trainScans, int warmup, long seed, int clockTicks) {

    RunOptions {
        gpuWorkers = List.copyOf(gpuWorkers);
        if (scans < 2) {
            throw new IllegalArgumentException("--scans must be at least 2, got " + scans);
        }
        if (trainScans < 2 || trainScans > scans) {
            throw new IllegalArgumentException("--train-scans must be 2.." + scans + " (one trains, one validates), got " + trainScans);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more, got " + warmup);
        }
        if (gpuWorkers.isEmpty()) {
            throw new IllegalArgumentException("--gpu-workers names no count");
        }
        for (int w : gpuWorkers) {
            if (w < 1 || w > StackConfig.MAX_GPU_WORKERS) {
                throw new IllegalArgumentException("--gpu-workers: each count must be 1.." + StackConfig.MAX_GPU_WORKERS + ", got " + w);
            }
        }
        if (clockTicks < 1) {
            throw new IllegalArgumentException("--clock-ticks must be positive, got " + clockTicks);
        }
    }

    /** @throws IllegalArgumentException naming the option at fault */
    static RunOptions parse(String[] args) {
        Path out = Path.of("/tmp/triplane-scan-cost");
        int scans = 8;
        List<Integer> workers = List.of(1, 2);
        int train = 2;
        int warmup = 1;
        long seed = 7701;
        int ticks = 100;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String v = args[++i];
            switch (option) {
                case "--out" -> out = Path.of(v);
                case "--scans" -> scans = integer(option, v);
                case "--gpu-workers" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String w : v.split(",")) {
                        list.add(integer(option, w.trim()));
                    }
                    workers = list;
                }
                case "--train-scans" -> train = integer(option, v);
                case "--warmup" -> warmup = integer(option, v);
                case "--seed" -> seed = integer(option, v);
                case "--clock-ticks" -> ticks = integer(option, v);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new RunOptions(out.toAbsolutePath(), scans, workers, train, warmup, seed, ticks);
    }

    private static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + v + "'");
        }
    }

    /** The settings as one line of the report. */
    String describe() {
        return String.format(Locale.ROOT, "settings: %d study-size scans (512x512x110, seed %d) per measured evaluate job "
                + "(majority vote); gpu-workers %s; model set trained on %d scans; warm-up %d scan(s) per gpu-worker; out %s",
                scans, seed, gpuWorkers, trainScans, warmup, out);
    }
}
