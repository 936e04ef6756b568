package org.triplane.gateway.service.parameters;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The accepted key a misspelt one most likely meant, for the message that refuses it. */
final class NearestKey {

    /** Most single-character edits between a typed key and the key it is taken to mean. */
    static final int MAX_EDITS = 2;

    private NearestKey() {
    }

    /** @param typed the key given @param keys the keys accepted @return the closest within {@link #MAX_EDITS} edits */
    static Optional<String> to(String typed, Collection<String> keys) {
        String t = typed.toLowerCase(Locale.ROOT);
        return keys.stream().filter(k -> edits(t, k.toLowerCase(Locale.ROOT)) <= MAX_EDITS)
                .min(Comparator.comparingInt(k -> edits(t, k.toLowerCase(Locale.ROOT))));
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int edits(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
