package io.ember.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class BackoffTest {

    private static final Backoff DOUBLING = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void doublesFromTheInitialDelayUpToTheMaximum() {
        assertEquals(List.of(100L, 200L, 400L, 800L, 1_600L, 2_000L, 2_000L),
                IntStream.rangeClosed(1, 7).mapToObj(n -> DOUBLING.delayAfter(n).toMillis()).toList());
    }

    @Test
    void staysAtTheMaximumHoweverManyFailures() {
        assertEquals(Duration.ofSeconds(2), DOUBLING.delayAfter(64));
        assertEquals(Duration.ofSeconds(2), DOUBLING.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void growsByTheGivenMultiplier() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withMultiplier(1.5);

        assertEquals(List.of(100L, 150L, 225L, 337L, 506L, 759L, 1_000L),
                IntStream.rangeClosed(1, 7).mapToObj(n -> backoff.delayAfter(n).toMillis()).toList());
    }

    @Test
    void aMultiplierOfOneKeepsTheInitialDelay() {
        Backoff constant = DOUBLING.withMultiplier(1);

        assertEquals(Duration.ofMillis(100), constant.delayAfter(1));
        assertEquals(Duration.ofMillis(100), constant.delayAfter(1_000));
    }

    @Test
    void keepsSubMillisecondPrecision() {
        Backoff backoff = Backoff.exponential(Duration.ofNanos(1_500), Duration.ofSeconds(1));

        assertEquals(Duration.ofNanos(6_000), backoff.delayAfter(3));
    }

    @Test
    void hasNoJitterByDefaultAndDoesNotConsultTheRandomSource() {
        RandomGenerator unusable = () -> {
            throw new AssertionError("consulted the random source");
        };

        assertEquals(0, DOUBLING.jitter());
        assertEquals(Duration.ofMillis(400), DOUBLING.delayAfter(3, unusable));
    }

    @Test
    void jitterShortensADelayByTheDrawnShareOfItself() {
        Backoff jittered = DOUBLING.withJitter(0.5);

        assertEquals(Duration.ofMillis(400), jittered.delayAfter(3, fixed(0)));
        assertEquals(Duration.ofMillis(300), jittered.delayAfter(3, fixed(0.5)));
        assertEquals(Duration.ofMillis(1_500), jittered.delayAfter(10, fixed(0.5)));
    }

    @Test
    void jitterNeverLengthensADelayNorShortensItByMoreThanItsShare() {
        Backoff jittered = DOUBLING.withJitter(0.25);
        for (int i = 0; i < 1_000; i++) {
            long millis = jittered.delayAfter(5).toMillis();
            assertTrue(millis >= 1_200 && millis <= 1_600, "delay " + millis);
        }
    }

    @Test
    void refusesFailuresBelowOne() {
        assertEquals("failures must be >= 1: 0",
                assertThrows(IllegalArgumentException.class, () -> DOUBLING.delayAfter(0)).getMessage());
        assertEquals("failures must be >= 1: -1",
                assertThrows(IllegalArgumentException.class, () -> DOUBLING.delayAfter(-1)).getMessage());
    }

    @Test
    void refusesContradictorySettingsWhenBuiltNamingTheValue() {
        assertEquals("initial must be > 0: PT0S", refusal(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1))));
        assertEquals("max must be >= initial PT2S: PT1S",
                refusal(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1))));
        assertEquals("multiplier must be >= 1 and finite: 0.5", refusal(() -> DOUBLING.withMultiplier(0.5)));
        assertEquals("multiplier must be >= 1 and finite: NaN", refusal(() -> DOUBLING.withMultiplier(Double.NaN)));
        assertEquals("multiplier must be >= 1 and finite: Infinity",
                refusal(() -> DOUBLING.withMultiplier(Double.POSITIVE_INFINITY)));
        assertEquals("jitter must be >= 0 and < 1: 1.0", refusal(() -> DOUBLING.withJitter(1)));
        assertEquals("jitter must be >= 0 and < 1: -0.1", refusal(() -> DOUBLING.withJitter(-0.1)));
        assertEquals("max is null",
                assertThrows(NullPointerException.class, () -> Backoff.exponential(Duration.ofSeconds(1), null))
                        .getMessage());
    }

    @Test
    void isAValue() {
        assertEquals(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)), DOUBLING);
        assertEquals(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2, 0), DOUBLING);
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static String refusal(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }
}
