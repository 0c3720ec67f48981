package io.ember.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.SplittableRandom;

/**
 * Writes a made-up application log, the same for the same number of lines: mostly {@code INFO} and
 * {@code DEBUG} lines, some {@code WARN}, a few {@code ERROR} followed by a two-line stack trace
 * (lines without a level).
 */
final class SampleLog {

    private static final String[] LOGGERS = {"o.e.shop.Cart", "o.e.shop.Checkout", "o.e.db.Pool", "o.e.http.Server"};
    private static final LocalDateTime START = LocalDateTime.of(2024, 5, 1, 8, 0);

    private SampleLog() {
    }

    /**
     * Writes about {@code lines} lines (an {@code ERROR}'s stack trace may run over) to {@code file}.
     *
     * @return {@code file}
     */
    static Path write(Path file, int lines) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            int written = 0;
            while (written < lines) {
                String time = START.plus(Duration.ofMillis(written * 37L)).toString();
                String logger = LOGGERS[random.nextInt(LOGGERS.length)];
                int roll = random.nextInt(100);
                String level = roll < 2 ? "ERROR" : roll < 10 ? "WARN" : roll < 65 ? "INFO" : "DEBUG";
                out.write(time + " " + level + " [worker-" + random.nextInt(8) + "] " + logger + " - request "
                        + random.nextInt(1_000_000) + (level.equals("ERROR") ? " failed" : " handled"));
                out.newLine();
                written++;
                if (level.equals("ERROR")) {
                    out.write("java.io.IOException: connection reset");
                    out.newLine();
                    out.write("\tat " + logger + ".handle(" + logger.substring(logger.lastIndexOf('.') + 1) + ".java:42)");
                    out.newLine();
                    written += 2;
                }
            }
        }
        return file;
    }
}
