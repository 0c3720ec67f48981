package io.ember.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A deterministic English-looking text for word counts: words drawn from a vocabulary of
 * {@code vocabulary} made-up words with a skewed (Zipf-like) frequency, a seeded random, so the same
 * arguments always give the same bytes and the same counts.
 */
public final class SampleText {

    private SampleText() {
    }

    /** The word of rank {@code rank} (0 is the most frequent): short for frequent ranks, as in real text. */
    static String word(int rank) {
        StringBuilder word = new StringBuilder();
        int n = rank;
        do {
            word.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return word.append(rank % 7 == 0 ? "e" : "").toString();
    }

    /**
     * Writes about {@code bytes} bytes of lines of 12 words each to {@code file}.
     *
     * @return the file
     */
    public static Path write(Path file, long bytes, int vocabulary, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[vocabulary];
        double total = 0;
        for (int rank = 0; rank < vocabulary; rank++) {
            total += 1.0 / (rank + 1);
            cumulative[rank] = total;
        }
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            while (written < bytes) {
                line.setLength(0);
                for (int i = 0; i < 12; i++) {
                    double draw = random.nextDouble() * total;
                    int low = 0;
                    int high = vocabulary - 1;
                    while (low < high) {
                        int mid = (low + high) >>> 1;
                        if (cumulative[mid] < draw) {
                            low = mid + 1;
                        } else {
                            high = mid;
                        }
                    }
                    if (i > 0) {
                        line.append(' ');
                    }
                    line.append(word(low));
                }
                line.append('\n');
                out.append(line);
                written += line.length();
            }
        }
        return file;
    }
}
