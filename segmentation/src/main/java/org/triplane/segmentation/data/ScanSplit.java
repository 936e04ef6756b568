package org.triplane.segmentation.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Splits scans into training and validation sets BY SCAN: all slices of a scan land on one side,
 * so validation never sees a neighbour slice of a training slice. Splits depend only on the list's
 * size and the seed (a seeded {@link Random} shuffle), and each side keeps the list's order.
 */
public final class ScanSplit {
    private ScanSplit() {
    }

    /** One split: the scans to train on and the scans to validate on, disjoint. */
    public record Fold<T>(List<T> train, List<T> validation) {
        public Fold {
            train = List.copyOf(train);
            validation = List.copyOf(validation);
        }
    }

    /**
     * {@code validationCount} scans for validation, the rest for training.
     *
     * @throws IllegalArgumentException with fewer than 2 scans, or a count outside 1..size−1
     */
    public static <T> Fold<T> trainValidation(List<T> scans, int validationCount, long seed) {
        requireAtLeastTwo(scans);
        if (validationCount < 1 || validationCount >= scans.size()) {
            throw new IllegalArgumentException("validation count must be 1.." + (scans.size() - 1) + " for "
                    + scans.size() + " scans, got " + validationCount);
        }
        List<Integer> order = shuffled(scans.size(), seed);
        boolean[] validation = new boolean[scans.size()];
        for (int i = 0; i < validationCount; i++) {
            validation[order.get(i)] = true;
        }
        return fold(scans, validation);
    }

    /**
     * {@code round(fraction · size)} scans for validation (at least 1, at most size − 1).
     *
     * @throws IllegalArgumentException with fewer than 2 scans or a fraction outside (0, 1)
     */
    public static <T> Fold<T> trainValidationFraction(List<T> scans, double fraction, long seed) {
        requireAtLeastTwo(scans);
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must lie strictly between 0 and 1, got " + fraction);
        }
        int count = (int) Math.max(1, Math.min(scans.size() - 1, Math.round(fraction * scans.size())));
        return trainValidation(scans, count, seed);
    }

    /**
     * {@code k} folds whose validation parts partition {@code scans} (sizes differ by at most one);
     * each fold trains on the other scans.
     *
     * @throws IllegalArgumentException with fewer than 2 scans, k &lt; 2, or k greater than the number of scans
     */
    public static <T> List<Fold<T>> kFold(List<T> scans, int k, long seed) {
        requireAtLeastTwo(scans);
        if (k < 2) {
            throw new IllegalArgumentException("k-fold needs k ≥ 2, got " + k);
        }
        if (k > scans.size()) {
            throw new IllegalArgumentException("cannot make " + k + " folds from " + scans.size()
                    + " scans: every fold needs at least one validation scan");
        }
        List<Integer> order = shuffled(scans.size(), seed);
        int[] foldOf = new int[scans.size()];
        for (int i = 0; i < order.size(); i++) {
            foldOf[order.get(i)] = i % k;
        }
        List<Fold<T>> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            boolean[] validation = new boolean[scans.size()];
            for (int i = 0; i < scans.size(); i++) {
                validation[i] = foldOf[i] == f;
            }
            folds.add(fold(scans, validation));
        }
        return folds;
    }

    private static void requireAtLeastTwo(List<?> scans) {
        if (scans.size() < 2) {
            throw new IllegalArgumentException("splitting needs at least 2 scans, got " + scans.size());
        }
    }

    private static List<Integer> shuffled(int n, long seed) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        return order;
    }

    private static <T> Fold<T> fold(List<T> scans, boolean[] validation) {
        List<T> train = new ArrayList<>();
        List<T> val = new ArrayList<>();
        for (int i = 0; i < scans.size(); i++) {
            (validation[i] ? val : train).add(scans.get(i));
        }
        return new Fold<>(train, val);
    }
}
