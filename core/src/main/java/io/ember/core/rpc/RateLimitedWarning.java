package io.ember.core.rpc;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A WARN line about requests a server refused because of someone else's fault (a stranger, a deposed
 * master), written at most once per period however often the fault repeats, so that nobody can flood
 * the log by sending requests; the next line written says how many were left out.
 *
 * <p>Thread-safe.
 */
public final class RateLimitedWarning {

    private final Logger log;
    private final Duration every;
    private final Clock clock;
    private Instant lastLine;
    private int leftOut;

    /** At most one line in this time, unless a warning is made with another period. */
    public static final Duration EVERY = Duration.ofSeconds(10);

    /** A warning written at most once per {@link #EVERY}. */
    public RateLimitedWarning(Logger log, Clock clock) {
        this(log, EVERY, clock);
    }

    public RateLimitedWarning(Logger log, Duration every, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.every = requireNonNull(every, "every is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Writes the line, unless one was written in the last period (then it only counts it). */
    public void warn(String line) {
        warn(() -> line);
    }

    /** Writes the line, unless one was written in the last period (then it only counts it). */
    public void warn(Supplier<String> line) {
        String text;
        synchronized (this) {
            Instant now = clock.instant();
            if (lastLine != null && Duration.between(lastLine, now).compareTo(every) < 0) {
                leftOut++;
                return;
            }
            text = line.get() + (leftOut > 0
                    ? "; " + leftOut + " more like it in the last " + Durations.format(every) + " not shown" : "");
            lastLine = now;
            leftOut = 0;
        }
        log.warn(text);
    }
}
