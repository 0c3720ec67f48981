package io.ember.api.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelt names: the closest candidate by edit distance, ignoring case, when it
 * is close enough to be a plausible typo.
 *
 * <p>Stateless and thread-safe.
 */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate nearest to {@code typed}, if its edit distance is at most a third of the typed
     * length (and at least 2 edits are always tolerated). A candidate containing
     * {@value ConfigKey#PLACEHOLDER} is compared with the placeholder replaced by the matching part
     * of {@code typed} where possible.
     */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = typed.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int d = distance(lower, comparable(candidate, typed).toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int tolerance = Math.max(2, typed.length() / 3);
        return best != null && bestDistance <= tolerance ? Optional.of(best) : Optional.empty();
    }

    private static String comparable(String candidate, String typed) {
        int at = candidate.indexOf(ConfigKey.PLACEHOLDER);
        if (at < 0) {
            return candidate;
        }
        // Replace the placeholder by the segment of the typed name at the same dotted position.
        String[] candidateParts = candidate.split("\\.", -1);
        String[] typedParts = typed.split("\\.", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < candidateParts.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            boolean placeholder = candidateParts[i].equals(ConfigKey.PLACEHOLDER);
            sb.append(placeholder && i < typedParts.length ? typedParts[i] : candidateParts[i]);
        }
        return sb.toString();
    }

    /**
     * Edit distance counting an insertion, a deletion, a substitution or a swap of two adjacent
     * characters as one edit (optimal string alignment), so that {@code fiar} is one edit from
     * {@code fair} but two from {@code fifo}.
     */
    static int distance(String a, String b) {
        int[] beforePrevious = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, beforePrevious[j - 2] + 1);
                }
                current[j] = d;
            }
            int[] recycled = beforePrevious;
            beforePrevious = previous;
            previous = current;
            current = recycled;
        }
        return previous[b.length()];
    }
}
