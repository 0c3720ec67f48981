package io.ember.shuffle.sort;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * One kind of WARN line that strangers can cause (a refused or timed-out connection, a malformed
 * frame): written at most once per {@link #EVERY}, the next line written counting those left out,
 * so that a flood of bad connections costs the log a line per ten seconds, not a line per
 * connection.
 *
 * <p>Thread-safe.
 */
final class RateLimitedWarning {

    /** At most one line of a kind in this time. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final Logger log;
    private final Clock clock;
    private Instant last;   // guarded by this
    private long leftOut;   // guarded by this

    RateLimitedWarning(Logger log, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Writes {@code line}, unless a line of this kind was written in the last {@link #EVERY}. */
    void warn(String line) {
        String text;
        synchronized (this) {
            Instant now = clock.instant();
            if (last != null && Duration.between(last, now).compareTo(EVERY) < 0) {
                leftOut++;
                return;
            }
            text = leftOut == 0 ? line
                    : line + " (and " + leftOut + " more like it since the previous such line, not shown)";
            last = now;
            leftOut = 0;
        }
        log.warn(text);
    }
}
