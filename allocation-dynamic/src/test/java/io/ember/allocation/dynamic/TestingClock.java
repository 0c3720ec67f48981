package io.ember.allocation.dynamic;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test {@link #advance advances} it. */
final class TestingClock extends Clock {

    private Instant now;

    TestingClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    TestingClock(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    /** Moves time forward. */
    TestingClock advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + duration);
        }
        now = now.plus(duration);
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("TestingClock is always UTC");
    }
}
