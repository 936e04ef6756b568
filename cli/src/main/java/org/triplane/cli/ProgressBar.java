package org.triplane.cli;

/** A fixed-width text bar for progress lines: {@code [#########...........]}. */
final class ProgressBar {
    static final int WIDTH = 20;

    private ProgressBar() {
    }

    static String of(long done, long total) {
        int filled = total <= 0 ? WIDTH : (int) Math.min(WIDTH, Math.max(0, done * WIDTH / total));
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
    }
}
