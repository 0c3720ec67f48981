package io.ember.core.driver.client;

import static java.util.Objects.requireNonNull;

import io.ember.core.concurrent.EventLoop;
import io.ember.core.retry.Backoff;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the application's watch open on the master it is registered with ({@code WatchApplication}):
 * opens it after the first registration, moves it to the new leader after each re-registration, and
 * opens it again, after a wait, when it ends while the application is still registered (the master
 * stopped leading, or was unreachable). What the master tells goes to the {@link ApplicationEvents};
 * an event from an older leadership than the one the application is registered with is dropped.
 *
 * <p>Threading: {@link #ensure} runs on the application client's calls loop, where the re-opening is
 * scheduled too; {@link #close} may be called from any thread; events are passed on from the RPC
 * client's threads.
 */
final class ApplicationWatch {

    /** The client's logger: these lines are the application client's. */
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationClient.class);
    private static final Backoff RETRY_DELAYS = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final MasterGateway master;
    private final EventLoop calls;
    private final ApplicationEvents events;
    private final Supplier<Reregistration.Standing> standing;
    private final BooleanSupplier registered;

    /** Written on the calls loop; read by {@link #close} too. */
    private volatile Watching current;
    private volatile boolean closed;
    // Confined to the calls loop.
    private int failures;
    private boolean retryScheduled;

    /**
     * @param master how the watch reaches the master
     * @param calls the client's loop, where this lives
     * @param events hears what the master tells
     * @param standing where the application stands now (null before its first registration)
     * @param registered whether the application is still registered (not unregistered, not closed)
     */
    ApplicationWatch(MasterGateway master, EventLoop calls, ApplicationEvents events,
            Supplier<Reregistration.Standing> standing, BooleanSupplier registered) {
        this.master = requireNonNull(master, "master is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.events = requireNonNull(events, "events is null");
        this.standing = requireNonNull(standing, "standing is null");
        this.registered = requireNonNull(registered, "registered is null");
    }

    /** Opens the watch on the master the application is registered with, unless it is open there already. */
    void ensure() {
        Reregistration.Standing now = standing.get();
        if (closed || now == null || !registered.getAsBoolean()) {
            return;
        }
        if (current != null && current.address.equals(now.address()) && current.epoch == now.epoch()) {
            return;
        }
        if (current != null) {
            current.watch.cancel();
        }
        Watching watching = new Watching(now.address(), now.epoch());
        current = watching;
        String appId = now.application().appId();
        LOG.debug("Watching application {} at master {} (epoch {})", appId, now.address(), now.epoch());
        watching.watch = master.watchApplication(now.address(), appId, watching);
    }

    /** Ends the watch for good. Idempotent. */
    void close() {
        closed = true;
        Watching open = current;
        if (open != null) {
            open.watch.cancel();
        }
    }

    /** The watch ended while it was the current one: open it again after a wait, if still wanted. */
    private void ended(Watching watching, MasterCallException failure) {
        if (watching != current || closed) {
            return;
        }
        current = null;
        if (!registered.getAsBoolean()) {
            return;
        }
        failures++;
        Duration delay = RETRY_DELAYS.delayAfter(failures);
        LOG.debug("The watch of the application at master {} ended ({}); watching again in {} ms", watching.address,
                failure == null ? "completed" : failure.getMessage(), delay.toMillis());
        if (!retryScheduled) {
            retryScheduled = true;
            calls.schedule(() -> {
                retryScheduled = false;
                ensure();
            }, delay);
        }
    }

    /** One open watch: hears its events and its end. */
    private final class Watching implements MasterGateway.Watcher {

        final String address;
        final long epoch;
        /** Set on the calls loop right after the watch opened. */
        volatile MasterGateway.Watch watch = () -> { };

        Watching(String address, long epoch) {
            this.address = address;
            this.epoch = epoch;
        }

        @Override
        public void event(long eventEpoch, WatchEvent event) {
            Reregistration.Standing now = standing.get();
            if (now != null && eventEpoch < now.epoch()) {
                LOG.debug("Dropping an event of a deposed leader (epoch {} < {}): {}", eventEpoch, now.epoch(), event);
                return;
            }
            calls.offer(() -> failures = 0);
            event.deliver(events);
        }

        @Override
        public void ended(MasterCallException failure) {
            calls.offer(() -> ApplicationWatch.this.ended(this, failure));
        }
    }
}
