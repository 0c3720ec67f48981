package io.ember.api.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test says so; for time-based policies, timeouts and tokens. */
public final class ManualClock extends Clock {

    private volatile Instant now;

    /** A clock at 2025-01-01T00:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    public ManualClock(Instant now) {
        this.now = now;
    }

    /** A clock starting at the real current time (for code that compares with real timestamps). */
    public static ManualClock atSystemTime() {
        return new ManualClock(Instant.now());
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
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
        throw new UnsupportedOperationException("a manual clock has one zone, UTC");
    }
}
