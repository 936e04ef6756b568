package org.triplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the study's layout in a folder, and refusing what is not, naming the file. */
class StudyLayoutTest {
    @TempDir
    Path dir;

    private void touch(String... names) throws IOException {
        for (String n : names) {
            Files.writeString(dir.resolve(n), n);
        }
    }

    @Test
    void findsEveryScanInNumericOrderWithOptionalLabelsOfEitherForm() throws Exception {
        touch("10.nii.gz", "10.txt", "2.nii.gz", "2.txt", "2-seg.nii", "1.nii.gz", "1.txt", "1-seg.nii.gz",
                "summary.json", "notes.txt", "1-windowed.nii.gz");
        Files.createDirectories(dir.resolve("3.nii.gz.d"));
        List<StudyLayout.ScanFiles> scans = StudyLayout.discover(dir);
        assertEquals(List.of("1", "2", "10"), scans.stream().map(StudyLayout.ScanFiles::stem).toList());
        assertEquals(dir.resolve("1.nii.gz"), scans.get(0).ct());
        assertEquals(dir.resolve("1.txt"), scans.get(0).transform());
        assertEquals(dir.resolve("1-seg.nii.gz"), scans.get(0).labels());
        assertEquals(dir.resolve("2-seg.nii"), scans.get(1).labels());
        assertNull(scans.get(2).labels());
    }

    @Test
    void refusesAFolderWithoutScans() throws Exception {
        touch("readme.md", "1.nii");
        InputException e = assertThrows(InputException.class, () -> StudyLayout.discover(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("N.nii.gz"), e.getMessage());
    }

    @Test
    void acceptsACtWithoutATransform() throws Exception {
        touch("1.nii.gz", "1.txt", "7.nii.gz", "7-seg.nii.gz");
        List<StudyLayout.ScanFiles> scans = StudyLayout.discover(dir);
        assertEquals(List.of("1", "7"), scans.stream().map(StudyLayout.ScanFiles::stem).toList());
        assertEquals(dir.resolve("1.txt"), scans.get(0).transform());
        assertNull(scans.get(1).transform());
        assertEquals(dir.resolve("7-seg.nii.gz"), scans.get(1).labels());
    }

    @Test
    void refusesATransformOrLabelsWithoutTheirCt() throws Exception {
        touch("1.nii.gz", "1.txt", "4.txt");
        InputException e = assertThrows(InputException.class, () -> StudyLayout.discover(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("4.txt").toString()), e.getMessage());
        Files.delete(dir.resolve("4.txt"));
        touch("5-seg.nii.gz");
        e = assertThrows(InputException.class, () -> StudyLayout.discover(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("5-seg.nii.gz").toString()), e.getMessage());
    }

    @Test
    void refusesTwoLabelFilesForOneScan() throws Exception {
        touch("1.nii.gz", "1.txt", "1-seg.nii", "1-seg.nii.gz");
        InputException e = assertThrows(InputException.class, () -> StudyLayout.discover(dir));
        assertTrue(e.getMessage().contains("1-seg.nii") && e.getMessage().contains("1-seg.nii.gz"), e.getMessage());
    }

    @Test
    void refusesAMissingFolder() {
        InputException e = assertThrows(InputException.class, () -> StudyLayout.discover(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
