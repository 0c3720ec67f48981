package io.ember.core.driver.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fake master behind the {@link MasterGateway}, for the driver's decisions without the wire: it
 * records every call and answers as scripted. A registration is accepted under the application's id
 * (or {@code app-1} for a new one) at {@link #epoch}, unless {@link #answers} or {@link #refusal}
 * say otherwise; every other call succeeds unless they do.
 */
final class TestingMasterGateway implements MasterGateway {

    static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);

    record Registration(String address, ApplicationDescriptor app, int requestedExecutors, long executorIdsFrom) {
    }

    record Total(String address, String appId, int total) {
    }

    record Kill(String address, String appId, List<String> executorIds, int total) {
    }

    record Unregistration(String address, String appId) {
    }

    /** A watch the driver opened; the test plays the master through {@link #watcher}. */
    record Watching(String address, String appId, Watcher watcher, AtomicBoolean cancelled) {
    }

    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    final List<Total> totals = new CopyOnWriteArrayList<>();
    final List<Kill> kills = new CopyOnWriteArrayList<>();
    final List<Unregistration> unregistrations = new CopyOnWriteArrayList<>();
    final List<String> forgotten = new CopyOnWriteArrayList<>();
    final List<Watching> watches = new CopyOnWriteArrayList<>();

    /**
     * The answers to the next calls, in order, before the usual ones: a {@link MasterGateway.Registered}
     * (to a registration) or a {@link MasterCallException} (to any call).
     */
    final Queue<Object> answers = new ConcurrentLinkedQueue<>();
    /** When set, every call fails with it (after the scripted {@link #answers}). */
    volatile MasterCallException refusal;
    /** The epoch registrations are accepted at. */
    volatile long epoch = 1;

    /** A failure that may pass: the master at {@code address} is not the leader (yet). */
    static MasterCallException unavailable(String address) {
        return new MasterCallException(address, true, Status.UNAVAILABLE.withDescription("not the leader")
                .asRuntimeException(), RPC_TIMEOUT);
    }

    /** A refusal for good: the master at {@code address} does not authenticate the driver. */
    static MasterCallException unauthenticated(String address) {
        return new MasterCallException(address, false, Status.UNAUTHENTICATED.asRuntimeException(), RPC_TIMEOUT);
    }

    @Override
    public Registered registerApplication(String address, ApplicationDescriptor app, int requestedExecutors,
                                          long executorIdsFrom) {
        registrations.add(new Registration(address, app, requestedExecutors, executorIdsFrom));
        Object answer = next();
        if (answer instanceof Registered registered) {
            return registered;
        }
        return new Registered(app.appId().isEmpty() ? "app-1" : app.appId(), epoch);
    }

    @Override
    public void requestTotalExecutors(String address, String appId, int total) {
        totals.add(new Total(address, appId, total));
        next();
    }

    @Override
    public void killExecutors(String address, String appId, List<String> executorIds, int total) {
        kills.add(new Kill(address, appId, List.copyOf(executorIds), total));
        next();
    }

    @Override
    public void unregisterApplication(String address, String appId) {
        unregistrations.add(new Unregistration(address, appId));
        next();
    }

    @Override
    public void forget(String address) {
        forgotten.add(address);
    }

    @Override
    public Watch watchApplication(String address, String appId, Watcher watcher) {
        Watching watching = new Watching(address, appId, watcher, new AtomicBoolean());
        watches.add(watching);
        return () -> watching.cancelled().set(true);
    }

    /** The next scripted answer, thrown when it is a failure; null for the usual answer. */
    private Object next() {
        Object answer = answers.poll();
        if (answer instanceof MasterCallException e) {
            throw e;
        }
        MasterCallException refused = refusal;
        if (answer == null && refused != null) {
            throw refused;
        }
        return answer;
    }
}
