package org.triplane.benchmarks.cost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time a process and its descendants have used, from {@code /proc/<pid>/stat}: user plus system
 * time of each process of the tree, plus the time of the children each has already waited for (a
 * PostgreSQL backend that ended between two readings is counted in its parent). In clock ticks
 * ({@code getconf CLK_TCK}, 100 on Linux/x86). The difference of two readings is the tree's CPU time in
 * between, whatever threads or children did the work.
 */
final class ProcessCpu {
    /** Fields 14–17 of {@code /proc/<pid>/stat}, counted from the state (field 3) after the name. */
    private static final int UTIME = 14 - 3;
    private static final int CSTIME = 17 - 3;

    private ProcessCpu() {
    }

    /**
     * @param stat one {@code /proc/<pid>/stat} line
     * @return utime + stime + cutime + cstime, clock ticks
     * @throws IllegalArgumentException naming the line when it is not a stat line
     */
    static long ticks(String stat) {
        // why: the name (field 2) is in parentheses and may itself hold spaces and ')'
        int end = stat.lastIndexOf(')');
        String[] f = end < 0 ? new String[0] : stat.substring(end + 1).trim().split(" +");
        if (f.length <= CSTIME) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line (fewer than 17 fields): " + stat);
        }
        long sum = 0;
        for (int i = UTIME; i <= CSTIME; i++) {
            sum += Long.parseLong(f[i]);
        }
        return sum;
    }

    /** @return the ticks of the process and all its living descendants; empty when the process is gone */
    static Optional<Long> treeTicks(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        long sum = 0;
        try (Stream<ProcessHandle> tree = Stream.concat(Stream.of(root.get()), root.get().descendants())) {
            for (ProcessHandle p : (Iterable<ProcessHandle>) tree::iterator) {
                sum += ticksOf(p.pid()).orElse(0L);
            }
        }
        return Optional.of(sum);
    }

    private static Optional<Long> ticksOf(long pid) {
        try {
            return Optional.of(ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (NoSuchFileException e) {
            // why: a descendant that ended between listing and reading; its time is in its parent's cutime
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
    }
}
