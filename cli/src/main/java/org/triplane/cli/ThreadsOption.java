package org.triplane.cli;

import picocli.CommandLine.Option;

/** The {@code --threads} option shared by the resampling commands. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    int threads() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        return threads;
    }
}
