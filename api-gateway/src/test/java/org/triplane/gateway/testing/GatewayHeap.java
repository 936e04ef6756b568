package org.triplane.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway process's heap as its GC log ({@code -Xlog:gc}) records it. Every collection logs
 * the heap in use before and after it and the heap's size: between collections use only grows, so
 * the largest "before" over a span that ends with a collection is the span's peak. {@link #mark}
 * and {@link #since} each force a full collection ({@code jcmd <pid> GC.run}) to bound the span.
 */
public final class GatewayHeap {

    // e.g. "[1.234s][info][gc] GC(7) Pause Young (Allocation Failure) 95M->20M(371M) 12.345ms"
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final Path gcLog;
    private final long pid;

    /** @param gcLog the gateway's {@code -Xlog:gc:file=} @param pid its process id */
    public GatewayHeap(Path gcLog, long pid) {
        this.gcLog = gcLog;
        this.pid = pid;
    }

    /** Where a span starts: the number of log lines after a full collection. */
    public record Mark(int line) {
    }

    /**
     * What the heap held over a span, MiB.
     *
     * @param peakMiB      most in use at any time (before a collection)
     * @param maxLiveMiB   most still in use after a collection
     * @param maxSizeMiB   largest the heap grew to (committed)
     * @param collections  collections in the span, the closing full one included
     */
    public record Span(long peakMiB, long maxLiveMiB, long maxSizeMiB, int collections) {
    }

    /** @return the start of a span, after a full collection */
    public Mark mark() {
        collect();
        return new Mark(lines().size());
    }

    /** @param mark where the span started @return the heap over the span, which a full collection ends */
    public Span since(Mark mark) {
        collect();
        List<String> lines = lines();
        long peak = 0;
        long live = 0;
        long size = 0;
        int collections = 0;
        for (String line : lines.subList(Math.min(mark.line(), lines.size()), lines.size())) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, mib(m.group(1), m.group(2)));
                live = Math.max(live, mib(m.group(3), m.group(4)));
                size = Math.max(size, mib(m.group(5), m.group(6)));
                collections++;
            }
        }
        if (collections == 0) {
            throw new IllegalStateException("no collection in " + gcLog + " since line " + mark.line());
        }
        return new Span(peak, live, size, collections);
    }

    private static long mib(String value, String unit) {
        long v = Long.parseLong(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(gcLog);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + gcLog, e);
        }
    }

    private void collect() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        int before = lines().size();
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " GC.run failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("running " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        // why: GC.run returns once the collection is done, and the JVM logs it synchronously
        if (lines().stream().skip(before).noneMatch(l -> l.contains("Pause Full"))) {
            throw new IllegalStateException("jcmd " + pid + " GC.run left no full collection in " + gcLog);
        }
    }
}
