package io.ember.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

final class SamplesTest {

    @Test
    void theNearestRankPercentileOfTwentyRunsIsTheirSlowestAtP99AndTheTenthAtP50() {
        List<Long> runs = LongStream.rangeClosed(1, 20).map(i -> 21 - i).boxed().toList();

        assertEquals(20, Samples.percentile(runs, 99));
        assertEquals(10, Samples.percentile(runs, 50));
        assertEquals(1, Samples.percentile(runs, 1));
    }

    @Test
    void printsMinP99MaxAndTheMedianAsTheResult() {
        Samples samples = new Samples("failover");
        List.of(900L, 800L, 1500L, 850L).forEach(samples::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        samples.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertEquals(List.of("min failover 800 ms", "p99 failover 1500 ms (nearest rank of 4)", "max failover 1500 ms",
                "RESULT failover 875 ms"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
