package org.triplane.segmentation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScanSplitTest {
    private static final List<String> SCANS = names(23);

    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("scan-" + i);
        }
        return out;
    }

    @Test
    void trainValidationIsADisjointCoverWithTheRequestedSize() {
        ScanSplit.Fold<String> fold = ScanSplit.trainValidation(SCANS, 5, 42);
        assertEquals(5, fold.validation().size());
        assertEquals(18, fold.train().size());
        Set<String> all = new HashSet<>(fold.train());
        all.addAll(fold.validation());
        assertEquals(new HashSet<>(SCANS), all);
        assertTrue(fold.train().stream().noneMatch(fold.validation()::contains));
        assertEquals(fold, ScanSplit.trainValidation(SCANS, 5, 42), "same seed, same split");
        assertNotEquals(fold.validation(), ScanSplit.trainValidation(SCANS, 5, 43).validation(), "another seed, another split");
        // each side keeps the input order
        assertEquals(fold.train().stream().sorted((a, b) -> SCANS.indexOf(a) - SCANS.indexOf(b)).toList(), fold.train());
    }

    @Test
    void fractionRoundsAndKeepsBothSidesNonEmpty() {
        assertEquals(5, ScanSplit.trainValidationFraction(SCANS, 0.2, 1).validation().size()); // round(4.6)
        assertEquals(1, ScanSplit.trainValidationFraction(names(3), 0.01, 1).validation().size());
        assertEquals(2, ScanSplit.trainValidationFraction(names(3), 0.99, 1).validation().size());
    }

    @Test
    void kFoldValidationPartsPartitionTheScans() {
        for (int k : new int[] {2, 5, 23}) {
            List<ScanSplit.Fold<String>> folds = ScanSplit.kFold(SCANS, k, 7);
            assertEquals(k, folds.size());
            List<String> validated = new ArrayList<>();
            for (ScanSplit.Fold<String> f : folds) {
                validated.addAll(f.validation());
                assertEquals(SCANS.size(), f.train().size() + f.validation().size());
                assertTrue(f.train().stream().noneMatch(f.validation()::contains));
                int size = f.validation().size();
                assertTrue(size == SCANS.size() / k || size == SCANS.size() / k + 1, "balanced fold sizes, got " + size);
            }
            assertEquals(SCANS.size(), validated.size(), "every scan validated exactly once");
            assertEquals(new HashSet<>(SCANS), new HashSet<>(validated));
            assertEquals(folds, ScanSplit.kFold(SCANS, k, 7), "deterministic");
        }
    }

    @Test
    void clearErrors() {
        assertMessage("at least 2 scans", () -> ScanSplit.kFold(names(1), 2, 0));
        assertMessage("at least 2 scans", () -> ScanSplit.trainValidation(names(1), 1, 0));
        assertMessage("cannot make 6 folds from 5 scans", () -> ScanSplit.kFold(names(5), 6, 0));
        assertMessage("k ≥ 2", () -> ScanSplit.kFold(names(5), 1, 0));
        assertMessage("1..4", () -> ScanSplit.trainValidation(names(5), 5, 0));
        assertMessage("1..4", () -> ScanSplit.trainValidation(names(5), 0, 0));
        assertMessage("between 0 and 1", () -> ScanSplit.trainValidationFraction(names(5), 1.0, 0));
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
