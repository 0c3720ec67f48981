package io.ember.core.driver.endpoint;

import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.api.config.Durations;
import io.ember.core.concurrent.EventLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver endpoint's heartbeat check: drops every executor silent for longer than
 * {@code ember.executor.heartbeatTimeout}, by the injected clock (every message on its stream
 * counts as a sign of life). A dropped executor's stream ends with a {@code Shutdown} saying why,
 * and listeners hear {@code executorRemoved}.
 *
 * <p>Threading: runs periodically on the endpoint's event thread, a quarter of the timeout apart
 * (between 10 ms and 1 s); tests with a manual clock call {@link #check()} directly.
 */
final class HeartbeatCheck {

    /** Logged as the driver endpoint's, as before the endpoint was split. */
    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    private static final Duration MIN_CHECK_PERIOD = Duration.ofMillis(10);
    private static final Duration MAX_CHECK_PERIOD = Duration.ofSeconds(1);

    /** Where executors are taken out of the endpoint's registry. */
    interface Registry {

        /** Takes the executors {@code which} selects out of the registry; listeners hear {@code reason}. */
        List<ExecutorConnection> removeWhere(Predicate<ExecutorConnection> which, String reason);
    }

    private final Duration timeout;
    private final Clock clock;
    private final Registry registry;

    HeartbeatCheck(Duration timeout, Clock clock, Registry registry) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    /** Checks periodically on {@code events}, from now on until it stops. */
    void start(EventLoop events) {
        Duration period = clamp(timeout.dividedBy(4), MIN_CHECK_PERIOD, MAX_CHECK_PERIOD);
        events.scheduleWithFixedDelay(this::checkQuietly, period, period);
    }

    /**
     * Drops every executor silent for longer than the timeout, by the clock.
     *
     * @return the executors dropped
     */
    List<ExecutorInfo> check() {
        long now = clock.millis();
        long timeoutMillis = timeout.toMillis();
        String reason = "no heartbeat for " + Durations.format(timeout) + " (ember.executor.heartbeatTimeout)";
        List<ExecutorConnection> expired = registry.removeWhere(
                connection -> now - connection.lastHeardMillis > timeoutMillis, reason);
        for (ExecutorConnection connection : expired) {
            LOG.warn("Executor {} on {} (worker {}) is lost: {}", connection.info.executorId(), connection.info.host(),
                    connection.info.workerId(), reason);
            connection.shutdown(reason);
        }
        return expired.stream().map(c -> c.info).toList();
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("The executor heartbeat check failed", e);
        }
    }

    /** {@code duration}, at least {@code min} and at most {@code max}. */
    private static Duration clamp(Duration duration, Duration min, Duration max) {
        return duration.compareTo(min) < 0 ? min : duration.compareTo(max) > 0 ? max : duration;
    }
}
