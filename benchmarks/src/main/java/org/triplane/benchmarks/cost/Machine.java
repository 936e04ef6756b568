package org.triplane.benchmarks.cost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The machine a run measured, as the report's first line says it. */
final class Machine {
    private Machine() {
    }

    /** CPU model, cores, memory, the time and the commit measured (system property {@code scan-cost.commit}). */
    static String describe() {
        String model = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String memory = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB").orElse("unknown memory");
        return "machine: " + model + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory + "; " + Instant.now()
                + "; commit " + System.getProperty("scan-cost.commit", "unknown");
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        String[] f = read("/proc/loadavg").trim().split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
