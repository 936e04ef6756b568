package org.triplane.benchmarks.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic and parsing on given inputs; every expected figure is worked out by hand. */
class CostReportTest {

    @Test
    void preprocessTimingsAreMillisecondsAndTheOthersSecondsAndOnlyDurationsCount() {
        assertEquals(Map.of("download", 0.4, "register", 8.25, "upload", 0.5),
                TaskTimings.seconds("{\"download_ms\":400,\"register_ms\":8250,\"upload_ms\":500}"));
        assertEquals(Map.of("download", 0.25, "infer", 3.5, "network", 2.0),
                TaskTimings.seconds("{\"download_s\":0.250,\"infer_s\":3.5,\"network_s\":2.0,\"slices\":120,"
                        + "\"slices_per_s\":34.3,\"batch_size\":8,\"model_id\":\"m-1\",\"device\":\"cpu\"}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskTimings.seconds("[1, 2]"));
        assertTrue(e.getMessage().contains("[1, 2]"), e.getMessage());
    }

    @Test
    void cpuTicksAreUserSystemAndWaitedForChildrenAfterANameWithSpacesAndParentheses() {
        // fields 14-17 (utime 250, stime 50, cutime 7, cstime 3) after a name that holds ") ("
        String stat = "4156 (postgres: a) (b) S 1 4156 4156 0 -1 4194560 2000 30000 0 5 250 50 7 3 20 0 1 0 3000 170000 900";

        assertEquals(310, ProcessCpu.ticks(stat));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("4156 (x) S 1 2"));
        assertTrue(e.getMessage().contains("4156 (x) S 1 2"), e.getMessage());
    }

    @Test
    void thisProcessesTicksAgreeWithTheJvmsOwnAccountOfItsCpuTime() throws Exception {
        long pid = ProcessHandle.current().pid();
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
        int ticksPerSecond = Integer.parseInt(new String(getconf.getInputStream().readAllBytes()).trim());

        double jvm = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1e9;
        double proc = ProcessCpu.treeTicks(pid).orElseThrow() / (double) ticksPerSecond;

        // why: two readings a moment apart, each rounded to a tick; this JVM has no children
        assertEquals(jvm, proc, 0.2 + 0.05 * jvm, "CPU seconds from /proc against the JVM's");
    }

    @Test
    void everyFigureIsTheJobsTotalDividedByItsScans() {
        StageCost preprocess = new StageCost("preprocess");
        preprocess.addTask(10.0, map("download", 0.4, "register", 8.0, "upload", 0.6));
        preprocess.addTask(14.0, map("download", 0.6, "register", 11.0, "upload", 1.4));
        preprocess.addRead(30_000_000);
        preprocess.addWritten(8_000_000);
        preprocess.addDecode(1.0);
        preprocess.addCompress(3.0);
        StageCost axial = new StageCost("axial");
        axial.addTask(9.0, map("download", 1.0, "load_model", 0.2, "infer", 6.0, "upload", 1.0, "network", 4.0));
        StageCost fusion = new StageCost("fusion");
        fusion.addTask(5.0, map("download", 2.0, "fuse", 1.0, "upload", 0.5, "total", 4.0));
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("preprocess-worker", 20.0);
        cpu.put("gpu-worker", 9.0);
        cpu.put("objectstore", 1.0);

        CostReport r = new CostReport("== test", 2, 60.0, List.of(preprocess, axial, fusion), cpu);

        assertEquals(120.0, r.scansPerHour(), 1e-9, "2 scans in a minute");
        assertEquals(15.0, r.cpuSecondsPerScan(), 1e-9, "(20 + 9 + 1) / 2");
        assertEquals(2.0, axial.transferSeconds(), 1e-9, "download 1 + upload 1");
        assertEquals(4.0, axial.networkSeconds(), 1e-9);
        assertEquals(2.2, axial.otherComputeSeconds(), 1e-9, "load_model 0.2 + infer 6 − network 4");
        assertEquals(1.0, fusion.otherComputeSeconds(), 1e-9, "fuse 1; the total is not a phase of its own");
        String text = r.text();
        assertTrue(text.contains("2 scans, submit to done 60.0 s: 120 scans/hour"), text);
        // tasks 2/2, wall 24/2, download 1/2, upload 2/2, network 0, other 19/2, decode 1/2, compress 3/2, 30 MB/2, 8 MB/2
        assertTrue(text.contains("preprocess     1.00     12.00      0.50      1.00      0.00      9.50      0.50      1.50     15.0      4.0"),
                text);
        assertTrue(text.contains("axial          0.50      4.50      0.50      0.50      2.00      1.10      0.00      0.00      0.0      0.0"),
                text);
        // 4 tasks, wall 38/2; download 3.0+... = (1.0 + 1.0 + 2.0) / 2; upload (2.0 + 1.0 + 0.5) / 2; other (19 + 2.2 + 1) / 2
        assertTrue(text.contains("all stages     2.00     19.00      2.00      1.75      2.00     11.10      0.50      1.50     15.0      4.0"),
                text);
        assertTrue(text.contains("  preprocess  download 0.50, register 9.50, upload 1.00"), text);
        assertTrue(text.contains("  preprocess-worker    10.00"), text);
        assertTrue(text.contains("  all                  15.00"), text);
        assertEquals(60.0, r.toMap().get("jobWallSeconds"));
    }

    @Test
    void theCodecTableSetsEachStageAsStoredNowBesideTheSameObjectsAsGzipNifti() {
        StageCost preprocess = new StageCost("preprocess");
        preprocess.addTask(10.0, map("download", 0.4));
        preprocess.addRead(30_000_000);
        preprocess.addDecode(0.5);
        preprocess.addWritten(16_000_000);
        preprocess.addCompress(0.1);
        preprocess.before().addRead(30_000_000, 0.75);
        preprocess.before().addWritten(12_000_000, 0.9);
        StageCost axial = new StageCost("axial");
        axial.addTask(9.0, map("download", 1.0));
        axial.addRead(30_000_000);
        axial.addDecode(0.2);
        axial.before().addRead(22_000_000, 0.6);

        CostReport r = new CostReport("== test", 2, 60.0, List.of(preprocess, axial), Map.of());

        String text = r.text();
        // decode 0.5/2 against 0.75/2, compress 0.1/2 against 0.9/2, read 30/2 both, written 16/2 against 12/2
        assertTrue(text.contains("preprocess       0.250     0.375     0.050     0.450     15.0     15.0      8.0      6.0"), text);
        assertTrue(text.contains("axial            0.100     0.300     0.000     0.000     15.0     11.0      0.0      0.0"), text);
        assertTrue(text.contains("all stages       0.350     0.675     0.050     0.450     30.0     26.0      8.0      6.0"), text);
        @SuppressWarnings("unchecked")
        Map<String, Object> was = (Map<String, Object>) ((List<Map<String, Object>>) r.toMap().get("stages")).get(1)
                .get("asGzipNifti");
        assertEquals(22_000_000L, was.get("bytesRead"));
        assertEquals(0.6, was.get("decodeCpuSeconds"));
    }

    @Test
    void aJobWithoutScansOrTimeHasNoRate() {
        assertThrows(IllegalArgumentException.class, () -> new CostReport("x", 0, 60.0, List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new CostReport("x", 2, 0.0, List.of(), Map.of()));
    }

    private static Map<String, Double> map(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }
}
