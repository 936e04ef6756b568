package org.triplane.benchmarks;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM: every thread's (workers, the collector, the compilers), for in-process steps. */
final class JvmCpu {
    private JvmCpu() {
    }

    /** CPU nanoseconds of every thread of this JVM so far. */
    static long nanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
