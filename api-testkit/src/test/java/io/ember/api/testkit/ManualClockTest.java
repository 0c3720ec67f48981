package io.ember.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

final class ManualClockTest {

    private static final Instant START = Instant.parse("2030-05-01T12:00:00Z");

    @Test
    void standsStillUntilAdvanced() {
        ManualClock clock = new ManualClock(START);

        assertEquals(START, clock.instant());
        assertEquals(START, clock.instant());
        assertEquals(START.toEpochMilli(), clock.millis());
    }

    @Test
    void startsAtTheDefaultStartWhenGivenNoInstant() {
        assertEquals(ManualClock.DEFAULT_START, new ManualClock().instant());
    }

    @Test
    void advancesByExactlyTheDurationGiven() {
        ManualClock clock = new ManualClock(START);

        assertEquals(START.plusMillis(1), clock.advance(Duration.ofMillis(1)));
        clock.advance(Duration.ofMinutes(2));
        clock.advance(Duration.ZERO);

        assertEquals(START.plusMillis(1).plusSeconds(120), clock.instant());
        assertEquals(START.toEpochMilli() + 120_001, clock.millis());
    }

    @Test
    void refusesToAdvanceBackwards() {
        ManualClock clock = new ManualClock(START);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clock.advance(Duration.ofSeconds(-1)));

        assertEquals("advance does not go back (use set): PT-1S", e.getMessage());
        assertEquals(START, clock.instant());
    }

    @Test
    void setsAnyInstantIncludingAnEarlierOne() {
        ManualClock clock = new ManualClock(START);

        clock.set(START.plusSeconds(60));
        assertEquals(START.plusSeconds(60), clock.instant());
        clock.set(START.minusSeconds(3600));
        assertEquals(START.minusSeconds(3600), clock.instant());
    }

    @Test
    void isAlwaysUtcAndRefusesOtherZones() {
        ManualClock clock = new ManualClock(START);

        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertThrows(UnsupportedOperationException.class, () -> clock.withZone(ZoneId.of("Europe/Paris")));
    }

    @Test
    void refusesNulls() {
        assertThrows(NullPointerException.class, () -> new ManualClock(null));
        ManualClock clock = new ManualClock(START);
        assertThrows(NullPointerException.class, () -> clock.advance(null));
        assertThrows(NullPointerException.class, () -> clock.set(null));
    }

    @Test
    void losesNoAdvanceWhenManyThreadsAdvanceAtOnce() throws InterruptedException {
        ManualClock clock = new ManualClock(START);
        int threads = 4;
        int advances = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < advances; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            thread.start();
            started.add(thread);
        }

        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }

        assertEquals(START.plusMillis((long) threads * advances), clock.instant());
    }
}
