package io.ember.core.coordination;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.curator.framework.state.ConnectionState;

/**
 * What an operator reads about one client's connection to ZooKeeper: a line when it first
 * connects, one WARN when an outage starts, a summary at most every {@link #SUMMARY_EVERY} while it
 * lasts, and one INFO when it ends, with its length and whether the session survived it. Decides
 * the lines only; {@link ZooKeeperClients} logs them and asks for summaries on a timer.
 *
 * <p>Thread-safe.
 */
final class ConnectionReport {

    /** How often an outage that goes on is summarised. */
    static final Duration SUMMARY_EVERY = Duration.ofSeconds(10);

    /** How serious a line is. */
    enum Level { INFO, WARN }

    /** One line to log. */
    record Line(Level level, String text) {
        Line {
            requireNonNull(level, "level is null");
            requireNonNull(text, "text is null");
        }
    }

    private final String connectString;
    private final Duration sessionTimeout;
    private final Clock clock;
    private boolean connectedOnce;
    /** When the outage under way started; null when connected. */
    private Instant outageStart;
    private Instant lastLine;
    private boolean sessionExpired;

    ConnectionReport(String connectString, Duration sessionTimeout, Clock clock) {
        this.connectString = requireNonNull(connectString, "connectString is null");
        this.sessionTimeout = requireNonNull(sessionTimeout, "sessionTimeout is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The line a connection change deserves, if any. Silent until the first connection ({@code connect} reports that). */
    synchronized Optional<Line> changed(ConnectionState state) {
        requireNonNull(state, "state is null");
        if (state == ConnectionState.CONNECTED && !connectedOnce) {
            connectedOnce = true;
            return info("Connected to ZooKeeper at " + connectString);
        }
        if (!connectedOnce) {
            return Optional.empty();
        }
        return switch (state) {
            case SUSPENDED -> startOutage(false);
            case LOST -> outageStart == null ? startOutage(true) : expired();
            case RECONNECTED, CONNECTED -> endOutage();
            case READ_ONLY -> warn("Connected to ZooKeeper at " + connectString + " read-only: the ensemble has no "
                    + "quorum, so registrations and leadership cannot change");
        };
    }

    /** A summary of the outage under way, when the last line about it is {@link #SUMMARY_EVERY} old. */
    synchronized Optional<Line> tick() {
        if (outageStart == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (Duration.between(lastLine, now).compareTo(SUMMARY_EVERY) < 0) {
            return Optional.empty();
        }
        lastLine = now;
        return warn("ZooKeeper at " + connectString + " unreachable for " + since(outageStart, now) + "; "
                + (sessionExpired
                        ? "this process's session expired, so its registrations and leadership are gone until it "
                                + "returns"
                        : "this process's session survives until " + Durations.format(sessionTimeout) + " have passed")
                + "; still trying");
    }

    /** Whether an outage is under way (then {@link #tick()} is worth calling). */
    synchronized boolean inOutage() {
        return outageStart != null;
    }

    private Optional<Line> startOutage(boolean expired) {
        if (outageStart != null) {
            return Optional.empty();
        }
        outageStart = clock.instant();
        lastLine = outageStart;
        sessionExpired = expired;
        return warn("Lost the connection to ZooKeeper at " + connectString + "; "
                + (expired
                        ? "this process's session expired, so its registrations and leadership are gone until it "
                                + "returns"
                        : "work goes on, and this process's session survives if it returns within "
                                + Durations.format(sessionTimeout)));
    }

    private Optional<Line> expired() {
        sessionExpired = true;
        return Optional.empty();
    }

    private Optional<Line> endOutage() {
        if (outageStart == null) {
            return Optional.empty();
        }
        String length = since(outageStart, clock.instant());
        boolean expired = sessionExpired;
        outageStart = null;
        lastLine = null;
        sessionExpired = false;
        return info("Reconnected to ZooKeeper at " + connectString + " after " + length + "; "
                + (expired ? "the session had expired, so this process registers again on a new one"
                        : "the session survived"));
    }

    private static String since(Instant start, Instant now) {
        return Durations.formatRounded(Duration.between(start, now));
    }

    private static Optional<Line> info(String text) {
        return Optional.of(new Line(Level.INFO, text));
    }

    private static Optional<Line> warn(String text) {
        return Optional.of(new Line(Level.WARN, text));
    }
}
