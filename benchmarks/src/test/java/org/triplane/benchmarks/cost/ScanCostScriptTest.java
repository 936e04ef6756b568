package org.triplane.benchmarks.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The script starts and says how to use it; its options reach the run as given. */
class ScanCostScriptTest {

    @Test
    void helpListsEveryOptionAndExitsZero() throws Exception {
        Process p = new ProcessBuilder("bash", Path.of("scan-cost.sh").toAbsolutePath().toString(), "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "scan-cost.sh --help did not end");

        assertEquals(0, p.exitValue(), out);
        for (String option : List.of("--scans N", "--gpu-workers L", "--train-scans N", "--warmup N", "--seed S", "--out DIR")) {
            assertTrue(out.contains(option), option + " missing from:\n" + out);
        }
        assertTrue(!out.contains("set -euo"), "the help ends before the code:\n" + out);
    }

    @Test
    void optionsAreParsedAndAWrongOneIsNamed() {
        RunOptions o = RunOptions.parse(new String[] {"--scans", "4", "--gpu-workers", "1, 3", "--warmup", "0", "--out", "/tmp/x",
                "--clock-ticks", "250"});

        assertEquals(4, o.scans());
        assertEquals(List.of(1, 3), o.gpuWorkers());
        assertEquals(0, o.warmup());
        assertEquals(2, o.trainScans(), "default");
        assertEquals(Path.of("/tmp/x"), o.out());
        assertEquals(250, o.clockTicks());
        assertEquals("--scans takes a whole number, got 'many'", assertThrows(() -> RunOptions.parse(new String[] {"--scans", "many"})));
        assertEquals("--gpu-workers: each count must be 1..6, got 7",
                assertThrows(() -> RunOptions.parse(new String[] {"--gpu-workers", "1,7"})));
        assertEquals("--train-scans must be 2..3 (one trains, one validates), got 4",
                assertThrows(() -> RunOptions.parse(new String[] {"--scans", "3", "--train-scans", "4"})));
        assertEquals("unknown option --fast", assertThrows(() -> RunOptions.parse(new String[] {"--fast", "yes"})));
    }

    private static String assertThrows(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e).getMessage();
    }
}
