package org.triplane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Refuses to start long work on a disk that cannot hold its output, naming the folder and what to do. */
final class DiskSpace {
    private DiskSpace() {
    }

    /**
     * @param folder   where the output goes (the nearest existing parent is measured)
     * @param required bytes the work needs there
     * @param what     what will be written, for the message
     * @param remedy   how to point the output elsewhere
     * @throws InputException when the file system holding {@code folder} has less room than that
     */
    static void require(Path folder, long required, String what, String remedy) throws InputException, IOException {
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        long usable = Files.getFileStore(existing).getUsableSpace();
        if (usable < required) {
            throw new InputException(String.format(Locale.ROOT,
                    "not enough disk space: %.1f GB free on the file system of %s, %s need about %.1f GB; free some space or %s",
                    usable / 1e9, existing, what, required / 1e9, remedy));
        }
    }
}
