package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
    @TempDir
    Path dir;

    @Test
    void moreThanTheDiskHoldsIsRefusedNamingTheFolderAndTheRemedy() {
        InputException e = assertThrows(InputException.class,
                () -> DiskSpace.require(dir.resolve("not/yet/made"), Long.MAX_VALUE, "the scans", "use --out"));
        assertTrue(e.getMessage().startsWith("not enough disk space: "), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().endsWith("use --out"), e.getMessage());
    }

    @Test
    void whatFitsPasses() {
        assertDoesNotThrow(() -> DiskSpace.require(dir, 1, "a byte", "nothing"));
    }
}
