package io.ember.core.driver.endpoint;

import static io.ember.core.checks.Checks.requirePositive;
import static java.util.Objects.requireNonNull;

import io.ember.api.cluster.ExecutorInfo;
import io.ember.core.concurrent.EventLoop;
import io.ember.core.config.ServerAddress;
import io.ember.core.rpc.RpcLimits;
import io.ember.core.rpc.RpcServer;
import io.ember.core.scheduler.ExecutorGateway;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Longer than 400 lines because registration, drops, waits and the heartbeat check share the
// registry's one lock and map (one in five lines is the contract of each); the streams, uploads and
// JARs are in ExecutorConnection, ResultUpload and JarServer.
/**
 * The driver's side of its executors' streams: the registry of executors and its lifecycle, with
 * the RPC server offering them the {@link DriverService} (which speaks the registration handshake).
 * Registration, drops, waits and the {@link HeartbeatCheck} share the registry's one lock and map;
 * each stream is an {@link ExecutorConnection} with its {@link ExecutorWire}; listeners hear of
 * changes through {@link ExecutorEvents}.
 *
 * <p>Every executor opens one {@code Connect} stream for its whole life. Its first message
 * registers it: the endpoint records an {@link ExecutorInfo}, and the executor is told the
 * application id and the heartbeat interval. Every later message counts as a sign of life. An
 * executor leaves when its stream ends or breaks, when nothing arrived from it for longer than the
 * heartbeat timeout (by the injected {@link Clock}), when it registers again on a new stream (the
 * old stream is closed), or when the driver shuts it down ({@link #shutdownAll}). A stream is never
 * left open after its executor left: it ends with a {@code Shutdown} message, or with an error
 * status when it was replaced or misused. Executors can register only once {@link #bindApplication}
 * named the application; until then a registration is refused with {@code FAILED_PRECONDITION}.
 *
 * <p>Threading: thread-safe. Stream callbacks run on the RPC server's pool; sends on one stream are
 * serialized. {@link ExecutorListener}s and the heartbeat check run on one event thread of this
 * endpoint, so listeners see the changes in order. {@link #close()} is idempotent.
 */
public final class DriverEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriverEndpoint.class);

    private static final Duration EVENT_DRAIN = Duration.ofSeconds(2);

    private final ExecutorSetup setup;
    private final ExecutorTraffic traffic;
    private final Clock clock;
    private final EventLoop events;
    private final ExecutorEvents listeners;
    private final HeartbeatCheck heartbeats;

    private final Object lock = new Object();
    /** Registered executors by id, in order of registration; guarded by lock. */
    private final Map<String, ExecutorConnection> executors = new LinkedHashMap<>();
    /** Above every numeric executor id that ever registered (ids are never given twice); guarded by lock. */
    private long executorIdsFrom;
    /** Guarded by lock. */
    private String applicationId;
    /** Guarded by lock. */
    private boolean closing;

    private volatile RpcServer server;

    private DriverEndpoint(Duration heartbeatTimeout, Clock clock, ExecutorSetup setup, ExecutorTraffic traffic) {
        this.setup = requireNonNull(setup, "setup is null");
        this.traffic = requireNonNull(traffic, "traffic is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.heartbeats = new HeartbeatCheck(requirePositive(heartbeatTimeout, "heartbeatTimeout"), clock,
                this::removeWhere);
        this.events = EventLoop.start("ember-driver-events");
        this.listeners = new ExecutorEvents(events);
    }

    /**
     * Starts the endpoint listening on {@code host:port} and its periodic heartbeat check.
     *
     * @param port {@code ember.driver.port}, 0 for any free port
     * @param secret {@code ember.auth.secret}: when present, every executor must authenticate
     * @param heartbeatInterval how often executors are told to heartbeat
     *     ({@code ember.executor.heartbeatInterval})
     * @param heartbeatTimeout silence after which an executor is dropped
     *     ({@code ember.executor.heartbeatTimeout})
     * @param clock what heartbeat times are read from
     * @throws java.io.UncheckedIOException with one line when the address cannot be bound
     */
    static DriverEndpoint start(String host, int port, Optional<String> secret, Duration heartbeatInterval,
            Duration heartbeatTimeout, Clock clock) {
        return start(host, port, secret, heartbeatInterval, heartbeatTimeout, clock, ExecutorSetup.DEFAULT,
                ExecutorTraffic.NONE);
    }

    /**
     * As {@link #start(String, int, Optional, Duration, Duration, Clock)}, for a driver that runs
     * tasks: executors are told {@code setup} when they register, may fetch its JARs and upload
     * results, and what they send is handed to {@code traffic}.
     */
    public static DriverEndpoint start(String host, int port, Optional<String> secret, Duration heartbeatInterval,
            Duration heartbeatTimeout, Clock clock, ExecutorSetup setup, ExecutorTraffic traffic) {
        return start(host, port, secret, RpcLimits.DEFAULTS, heartbeatInterval, heartbeatTimeout, clock, setup,
                traffic);
    }

    /**
     * As {@link #start(String, int, Optional, Duration, Duration, Clock, ExecutorSetup, ExecutorTraffic)},
     * its RPC server holding connections to {@code limits} ({@code ember.rpc.*}).
     */
    public static DriverEndpoint start(String host, int port, Optional<String> secret, RpcLimits limits,
            Duration heartbeatInterval, Duration heartbeatTimeout, Clock clock, ExecutorSetup setup,
            ExecutorTraffic traffic) {
        return start(ServerAddress.of(requireNonNull(host, "host is null")), port, secret, limits, heartbeatInterval,
                heartbeatTimeout, clock, setup, traffic);
    }

    /**
     * As {@link #start(String, int, Optional, RpcLimits, Duration, Duration, Clock, ExecutorSetup, ExecutorTraffic)},
     * listening on {@code address.bind()}; executors are told {@code address.advertised()}
     * ({@link #address()}).
     */
    public static DriverEndpoint start(ServerAddress address, int port, Optional<String> secret, RpcLimits limits,
            Duration heartbeatInterval, Duration heartbeatTimeout, Clock clock, ExecutorSetup setup,
            ExecutorTraffic traffic) {
        requireNonNull(address, "address is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(secret, "secret is null");
        requirePositive(heartbeatInterval, "heartbeatInterval");
        DriverEndpoint endpoint = new DriverEndpoint(heartbeatTimeout, clock, setup, traffic);
        try {
            DriverService service = new DriverService(endpoint, heartbeatInterval, setup, clock);
            endpoint.server = RpcServer.start("driver", address, port, List.of(service), secret, limits);
        } catch (RuntimeException | Error e) {
            endpoint.events.shutdownNow(Duration.ZERO);
            throw e;
        }
        endpoint.heartbeats.start(endpoint.events);
        return endpoint;
    }

    /** {@code host:port} executors reach this driver at (its {@code driver_address}). */
    public String address() {
        return server.address();
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** Calls its RPC server ended with a status other than OK, by status code name. */
    public Map<String, Long> rpcErrors() {
        return server.callErrors().byCode();
    }

    /**
     * Names the application executors serve; from now on they may register.
     *
     * @throws IllegalStateException when another application was bound before
     */
    public void bindApplication(String applicationId) {
        requireNonNull(applicationId, "applicationId is null");
        synchronized (lock) {
            if (this.applicationId != null && !this.applicationId.equals(applicationId)) {
                throw new IllegalStateException("the driver endpoint already serves application " + this.applicationId
                        + ", not " + applicationId);
            }
            this.applicationId = applicationId;
        }
    }

    /** Adds a listener; it hears of changes from now on. */
    public void addListener(ExecutorListener listener) {
        listeners.addListener(listener);
    }

    /** Removes a listener. */
    public void removeListener(ExecutorListener listener) {
        listeners.removeListener(listener);
    }

    /** The executors registered now, in the order they registered. */
    public List<ExecutorInfo> executors() {
        synchronized (lock) {
            return executors.values().stream().map(c -> c.info).toList();
        }
    }

    /**
     * How the task scheduler reaches a registered executor: the wire on its stream, as it is now
     * (a later re-registration makes a new one); empty when it is not registered.
     */
    public Optional<ExecutorGateway> handle(String executorId) {
        synchronized (lock) {
            ExecutorConnection connection = executors.get(executorId);
            return connection == null ? Optional.empty() : Optional.of(connection.wire);
        }
    }

    /**
     * Drops a registered executor as lost (its stream ends with a {@code Shutdown} saying why, and
     * listeners hear {@code executorRemoved}); does nothing when it is not registered.
     */
    public void drop(String executorId, String reason) {
        requireNonNull(reason, "reason is null");
        ExecutorConnection dropped;
        synchronized (lock) {
            dropped = executors.remove(executorId);
            if (dropped == null) {
                return;
            }
            listeners.removed(dropped.info, reason);
            lock.notifyAll();
        }
        LOG.warn("Executor {} on {} is lost: {}", executorId, dropped.info.host(), reason);
        dropped.shutdown(reason);
    }

    /**
     * Above the id of every executor that ever registered here, lost ones included: the lowest id a
     * leader may give this application's next executor.
     */
    public long executorIdsFrom() {
        synchronized (lock) {
            return executorIdsFrom;
        }
    }

    /** One more than a numeric executor id (the leader numbers them); 0 for another kind. */
    private static long idAbove(String executorId) {
        try {
            return Math.max(0, Long.parseLong(executorId) + 1);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The ids of the executors registered now. */
    public Set<String> executorIds() {
        synchronized (lock) {
            return Set.copyOf(executors.keySet());
        }
    }

    /** When the executor was last heard from, by the clock; empty when it is not registered. */
    public OptionalLong lastHeardMillis(String executorId) {
        synchronized (lock) {
            ExecutorConnection connection = executors.get(executorId);
            return connection == null ? OptionalLong.empty() : OptionalLong.of(connection.lastHeardMillis);
        }
    }

    /**
     * Waits until at least {@code count} executors are registered, {@code timeout} passed, or the
     * endpoint is closed.
     *
     * @return the executors registered when the wait ended: at least {@code count} of them, or fewer
     *     when the timeout passed or the endpoint closed (the caller says what that means)
     * @throws IllegalStateException when interrupted (the interrupt flag is set again)
     */
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout) {
        return awaitExecutors(count, timeout, () -> false);
    }

    /**
     * As {@link #awaitExecutors(int, Duration)}, ending the wait early once {@code giveUp} says so
     * (checked at the start and after each {@link #wakeWaiters()}).
     */
    public List<ExecutorInfo> awaitExecutors(int count, Duration timeout, BooleanSupplier giveUp) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        requireNonNull(timeout, "timeout is null");
        requireNonNull(giveUp, "giveUp is null");
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        synchronized (lock) {
            while (executors.size() < count && !closing && !giveUp.getAsBoolean()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + count + " executor(s)");
                }
            }
            return executors.values().stream().map(c -> c.info).toList();
        }
    }

    /** Wakes the callers of {@link #awaitExecutors(int, Duration, BooleanSupplier)}, to check whether they give up. */
    public void wakeWaiters() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Drops every executor silent for longer than the heartbeat timeout, by the clock (see
     * {@link HeartbeatCheck}); tests with a manual clock call it directly.
     *
     * @return the executors dropped
     */
    List<ExecutorInfo> checkHeartbeats() {
        return heartbeats.check();
    }

    /**
     * Sends {@code Shutdown} with the reason to every registered executor and ends their streams;
     * listeners hear {@code executorRemoved} for each. Executors registering later are not
     * affected.
     */
    public void shutdownAll(String reason) {
        requireNonNull(reason, "reason is null");
        List<ExecutorConnection> all = removeWhere(connection -> true, reason);
        if (!all.isEmpty()) {
            LOG.info("Shutting down {} executor(s): {}", all.size(), reason);
        }
        for (ExecutorConnection connection : all) {
            connection.shutdown(reason);
        }
    }

    /**
     * Refuses new registrations, shuts down every executor ("the driver is stopping"), stops the
     * server and the event thread (after delivering the events already queued). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            lock.notifyAll();   // whoever awaits executors gets what there is
        }
        shutdownAll("the driver is stopping");
        RpcServer running = server;
        if (running != null) {
            running.close();
        }
        if (!events.shutdown(EVENT_DRAIN)) {
            events.shutdownNow(Duration.ZERO);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "DriverEndpoint[" + (server == null ? "not started" : server.address()) + ", application="
                    + applicationId + ", executors=" + executors.keySet() + (closing ? ", closed" : "") + "]";
        }
    }

    /**
     * Takes the executors {@code which} selects out of the registry, in order of registration, and
     * tells listeners why; the caller ends their streams.
     */
    List<ExecutorConnection> removeWhere(Predicate<ExecutorConnection> which, String reason) {
        List<ExecutorConnection> removed = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<ExecutorConnection> it = executors.values().iterator(); it.hasNext(); ) {
                ExecutorConnection connection = it.next();
                if (which.test(connection)) {
                    it.remove();
                    removed.add(connection);
                    listeners.removed(connection.info, reason);
                }
            }
            if (!removed.isEmpty()) {
                lock.notifyAll();
            }
        }
        return removed;
    }

    /**
     * What became of a registration: the executor admitted, with the connection of the same executor
     * it replaced (or null); or, when {@code executor} is null, the status the stream ends with.
     */
    record Admission(ExecutorInfo executor, ExecutorConnection replaced, Status refusal) {
    }

    /**
     * Admits the executor of a stream, replacing the one registered under the same id; refuses it
     * while the driver stops or before {@link #bindApplication}. Under the registry's lock, the
     * executor is told {@code welcome} (its registration) before anyone hears of it, so that nothing
     * (a task launch) reaches it ahead of its registration.
     */
    Admission admit(ExecutorConnection connection, String executorId, String workerId, String host, int cores,
            Consumer<ExecutorInfo> welcome) {
        synchronized (lock) {
            if (closing) {
                return new Admission(null, null, Status.UNAVAILABLE.withDescription("the driver is stopping"));
            }
            if (applicationId == null) {
                return new Admission(null, null,
                        Status.FAILED_PRECONDITION.withDescription("the driver has no registered application yet"));
            }
            ExecutorInfo info = new ExecutorInfo(executorId, applicationId, workerId, host, 0, cores);
            connection.wire = new ExecutorWire(info.executorId(), info.host(), info.cores(), connection::send,
                    traffic, setup.maxUploadBytes());
            connection.info = info;
            connection.lastHeardMillis = clock.millis();
            ExecutorConnection replaced = executors.remove(info.executorId());   // re-inserted last: in order
            executors.put(info.executorId(), connection);
            executorIdsFrom = Math.max(executorIdsFrom, idAbove(info.executorId()));
            if (replaced != null) {
                listeners.removed(replaced.info, "it connected again on a new stream");
            }
            // A concurrent shutdownAll may have ended the stream already: then this send does nothing.
            welcome.accept(info);
            listeners.added(info);
            lock.notifyAll();
            return new Admission(info, replaced, null);
        }
    }

    /** The stream of a registered executor ended or broke. */
    void ended(ExecutorConnection connection, String reason) {
        ExecutorInfo info = connection.info;
        if (info == null) {
            return;
        }
        boolean removed;
        synchronized (lock) {
            removed = executors.remove(info.executorId(), connection);
            if (removed) {
                listeners.removed(info, reason);
                lock.notifyAll();
            }
        }
        if (removed) {
            LOG.info("Executor {} on {} left: {}", info.executorId(), info.host(), reason);
        }
    }

    /** Hands an uploaded result to the wire of the executor that sent it; returns why it was refused, or null. */
    String resultUploaded(String executorId, long taskId, byte[] result) {
        ExecutorWire wire;
        synchronized (lock) {
            ExecutorConnection connection = executors.get(executorId);
            wire = connection == null ? null : connection.wire;
        }
        return wire == null ? ExecutorWire.notRunning(taskId, executorId) : wire.resultUploaded(taskId, result);
    }

    /** Whether an executor of this id is registered now. */
    boolean isRegistered(String executorId) {
        synchronized (lock) {
            return executors.containsKey(executorId);
        }
    }
}
