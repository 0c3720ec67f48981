package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.core.driver.EmberContext;
import io.ember.core.job.JobSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Pi} on {@code local[2]}: the count of the distributed job is the count of a plain loop. */
final class PiTest {

    private final EmberContext ember = EmberContext.builder().isolated().master("local[2]").appName("pi-test").build();

    @AfterEach
    void close() {
        ember.close();
    }

    @Test
    void countsThePointsInsideAsAPlainLoopOverTheSameSeedsDoes() {
        int slices = 7;
        int samples = 10_000;
        long expected = 0;
        for (long seed = 0; seed < slices; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < samples; i++) {
                double x = random.nextDouble();
                double y = random.nextDouble();
                expected += x * x + y * y <= 1.0 ? 1 : 0;
            }
        }

        assertEquals(expected, Pi.pointsInside(ember, slices, samples));
        JobSummary job = ember.lastJobSummary().orElseThrow();
        assertEquals(slices, job.tasks(), job.toString());
        assertEquals(0, job.failedAttempts(), job.toString());
    }

    @Test
    void printsTheEstimateAndTheJobSummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        double pi = Pi.run(ember, 20, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(lines[0].matches("Pi is roughly 3\\.1\\d{6} \\(2000000 samples in 20 tasks\\)"), lines[0]);
        assertEquals(pi, Double.parseDouble(lines[0].split(" ")[3]), 1e-7);
        assertTrue(lines[1].matches("job \\d+ \\(reduce at Pi\\.java:\\d+\\): 20 tasks on 1 executor in \\d+ ms"), lines[1]);
    }
}
