package io.ember.api.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when a test tells it to: hand it to the code under test (an
 * {@link io.ember.api.allocation.AllocationPolicy} reads time from
 * {@link io.ember.api.allocation.AllocationContext#clock()}) and {@link #advance} it instead of
 * sleeping.
 *
 * <p>Time goes forward with {@link #advance}; {@link #set} puts the clock at any instant, earlier
 * ones included, to show code a wall clock that was stepped back. The zone is always UTC; {@link
 * #withZone} refuses another zone rather than return a clock that would not follow this one.
 *
 * <p>Thread-safe: any thread may read or move the clock, and a reader sees every move made before
 * it read.
 */
public final class ManualClock extends Clock {

    /** Where a clock made with {@link #ManualClock()} starts. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock at {@link #DEFAULT_START}. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}; {@code new ManualClock(Instant.now())} for code that compares with real timestamps. */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(requireNonNull(start, "start is null"));
    }

    /**
     * Moves the clock forward by {@code duration} (zero leaves it where it is).
     *
     * @return the instant the clock now reads
     * @throws IllegalArgumentException when {@code duration} is negative (use {@link #set} to go back)
     */
    public Instant advance(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("advance does not go back (use set): " + duration);
        }
        return now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Puts the clock at {@code instant}, before or after where it was. */
    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant is null"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * Refuses: a manual clock has one zone, UTC.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a ManualClock has one zone, UTC; asked for " + zone);
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + "]";
    }
}
