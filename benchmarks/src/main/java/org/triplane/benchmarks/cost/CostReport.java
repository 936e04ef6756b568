package org.triplane.benchmarks.cost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measured job as a per-scan table: each stage's tasks, wall seconds by kind of work, codec CPU,
 * bytes read and written; each process's CPU seconds; scans per hour. Every figure is the job's
 * total divided by its scans; megabytes are 10^6 bytes.
 *
 * @param title             what was run (first line)
 * @param scans             the job's scans
 * @param jobWallSeconds    from submission to the job's end (the job record's createdAt to finishedAt)
 * @param stages            the stages in pipeline order
 * @param processCpuSeconds component → CPU seconds its process tree used during the job, in the order to print
 */
record CostReport(String title, int scans, double jobWallSeconds, List<StageCost> stages,
                  Map<String, Double> processCpuSeconds) {

    CostReport {
        if (scans < 1) {
            throw new IllegalArgumentException("scans must be at least 1, got " + scans);
        }
        if (!(jobWallSeconds > 0)) {
            throw new IllegalArgumentException("jobWallSeconds must be positive, got " + jobWallSeconds);
        }
        stages = List.copyOf(stages);
        processCpuSeconds = new LinkedHashMap<>(processCpuSeconds);
    }

    double scansPerHour() {
        return scans * 3600.0 / jobWallSeconds;
    }

    /** @return a job total per scan */
    double perScan(double total) {
        return total / scans;
    }

    /** CPU seconds per scan of every process together. */
    double cpuSecondsPerScan() {
        return perScan(processCpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum());
    }

    String text() {
        StringBuilder b = new StringBuilder(title).append('\n');
        b.append(f("%d scans, submit to done %.1f s: %.0f scans/hour%n%n", scans, jobWallSeconds, scansPerHour()));
        b.append(f("%-12s %6s %9s %9s %9s %9s %9s %9s %9s %8s %8s%n", "per scan", "tasks", "wall s", "download",
                "upload", "network", "other", "decode", "compress", "read MB", "write MB"));
        b.append(f("%-12s %6s %9s %9s %9s %9s %9s %9s %9s %8s %8s%n", "", "", "(tasks)", "wall s", "wall s", "wall s",
                "wall s", "CPU s", "CPU s", "", ""));
        StageCost all = new StageCost("all stages");
        for (StageCost s : stages) {
            row(b, s);
            all.addTask(s.taskWallSeconds(), s.phaseSeconds());
            all.now().add(s.now());
            all.before().add(s.before());
        }
        row(b, all, stages.stream().mapToInt(StageCost::tasks).sum());
        b.append("\ncodec and bytes per scan, the objects as stored now against the same volumes as gzip NIfTI-1 read with a\n"
                + "counting inflation first (every volume before volume objects):\n");
        b.append(f("%-12s %9s %9s %9s %9s %8s %8s %8s %8s%n", "per scan", "decode", "decode", "compress", "compress",
                "read MB", "read MB", "write MB", "write MB"));
        b.append(f("%-12s %9s %9s %9s %9s %8s %8s %8s %8s%n", "", "CPU s", "before", "CPU s", "before", "", "before", "",
                "before"));
        for (StageCost s : stages) {
            beforeRow(b, s);
        }
        beforeRow(b, all);
        b.append("\nphases per scan (wall s, as each task records them; network lies within infer):\n");
        for (StageCost s : stages) {
            StringBuilder p = new StringBuilder();
            s.phaseSeconds().forEach((phase, sec) -> p.append(p.length() == 0 ? "" : ", ").append(f("%s %.2f", phase, perScan(sec))));
            b.append(f("  %-11s %s%n", s.name(), p));
        }
        b.append("\nCPU s per scan by process (utime + stime from /proc, the job's start to its end):\n");
        processCpuSeconds.forEach((process, sec) -> b.append(f("  %-18s %7.2f%n", process, perScan(sec))));
        b.append(f("  %-18s %7.2f%n", "all", cpuSecondsPerScan()));
        return b.toString();
    }

    /** The job's totals (not per scan) and scans per hour, for the JSON file. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scans", scans);
        m.put("jobWallSeconds", jobWallSeconds);
        m.put("scansPerHour", scansPerHour());
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        for (StageCost s : stages) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("stage", s.name());
            st.put("tasks", s.tasks());
            st.put("taskWallSeconds", s.taskWallSeconds());
            st.put("phaseSeconds", s.phaseSeconds());
            st.put("bytesRead", s.bytesRead());
            st.put("bytesWritten", s.bytesWritten());
            st.put("decodeCpuSeconds", s.decodeCpuSeconds());
            st.put("compressCpuSeconds", s.compressCpuSeconds());
            Map<String, Object> was = new LinkedHashMap<>();
            was.put("bytesRead", s.before().bytesRead());
            was.put("bytesWritten", s.before().bytesWritten());
            was.put("decodeCpuSeconds", s.before().decodeCpuSeconds());
            was.put("compressCpuSeconds", s.before().compressCpuSeconds());
            st.put("asGzipNifti", was);
            list.add(st);
        }
        m.put("stages", list);
        m.put("processCpuSeconds", processCpuSeconds);
        return m;
    }

    private void beforeRow(StringBuilder b, StageCost s) {
        StageCost.ObjectFigures was = s.before();
        b.append(f("%-12s %9.3f %9.3f %9.3f %9.3f %8.1f %8.1f %8.1f %8.1f%n", s.name(), perScan(s.decodeCpuSeconds()),
                perScan(was.decodeCpuSeconds()), perScan(s.compressCpuSeconds()), perScan(was.compressCpuSeconds()),
                perScan(s.bytesRead()) / 1e6, perScan(was.bytesRead()) / 1e6, perScan(s.bytesWritten()) / 1e6,
                perScan(was.bytesWritten()) / 1e6));
    }

    private void row(StringBuilder b, StageCost s) {
        row(b, s, s.tasks());
    }

    private void row(StringBuilder b, StageCost s, int tasks) {
        b.append(f("%-12s %6.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %8.1f %8.1f%n", s.name(), perScan(tasks),
                perScan(s.taskWallSeconds()), perScan(s.phaseSeconds().getOrDefault("download", 0.0)),
                perScan(s.phaseSeconds().getOrDefault("upload", 0.0)), perScan(s.networkSeconds()),
                perScan(s.otherComputeSeconds()), perScan(s.decodeCpuSeconds()), perScan(s.compressCpuSeconds()),
                perScan(s.bytesRead()) / 1e6, perScan(s.bytesWritten()) / 1e6));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
