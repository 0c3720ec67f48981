package io.ember.core.worker;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import io.ember.api.config.Settings;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.api.shuffle.ShuffleService;
import io.ember.api.shuffle.ShuffleServiceContext;
import io.ember.core.config.EmberKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external shuffle service of one host, run by a shuffle plugin: the {@link ShuffleManager} its
 * factory creates and the {@link ShuffleService} that manager starts. A worker embeds one
 * ({@code ember.shuffle.service.enabled}); {@code ember shuffle-service} runs one alone.
 *
 * <p>Thread-safe. {@link #close()} is idempotent: it stops the service, then the manager; the
 * service's state directory stays, so a restarted service still serves the executors registered
 * before.
 */
public final class ShuffleServiceHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShuffleServiceHost.class);

    private final ShuffleManager manager;
    private final ShuffleService service;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShuffleServiceHost(ShuffleManager manager, ShuffleService service, String host) {
        this.manager = requireNonNull(manager, "manager is null");
        this.service = requireNonNull(service, "service is null");
        this.host = requireNonNull(host, "host is null");
    }

    /**
     * Creates the plugin's manager from its settings and starts its service.
     *
     * @param factory the selected shuffle ({@code ember.shuffle})
     * @param settings the factory's settings ({@code ember.shuffle.<name>.*})
     * @param context where the service listens, its state directory and the secret
     * @throws UnsupportedOperationException when the plugin has no external service
     * @throws UncheckedIOException with a one-line message naming the address and
     *     {@code ember.shuffle.service.port} when it cannot listen or read its state
     */
    public static ShuffleServiceHost start(ShuffleManagerFactory factory, Settings settings,
                                           ShuffleServiceContext context) {
        requireNonNull(factory, "factory is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(context, "context is null");
        ShuffleManager manager = factory.create(settings);
        ShuffleService service;
        try {
            service = manager.startService(context);
        } catch (UncheckedIOException e) {
            manager.close();
            throw new UncheckedIOException("the " + factory.name() + " shuffle service cannot start on "
                    + context.host() + ":" + context.port() + " (" + EmberKeys.SHUFFLE_SERVICE_PORT.name()
                    + ", state in " + context.stateDir() + "): " + rootMessage(e)
                    + "; choose a free port (0 for any) or set " + EmberKeys.SHUFFLE_SERVICE_ENABLED.name()
                    + "=false", e.getCause() != null ? e.getCause() : new IOException(e.getMessage()));
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
        log.info("The {} shuffle service listens on {}:{}; its state is in {}", factory.name(), context.host(),
                service.port(), context.stateDir());
        return new ShuffleServiceHost(manager, service, context.host());
    }

    /** The port the service listens on. */
    public int port() {
        return service.port();
    }

    /** {@code host:port} of the service. */
    public String address() {
        return HostAndPort.fromParts(host, service.port()).toString();
    }

    /**
     * An application ended: the service forgets its executors and deletes their shuffle files. A
     * failure is logged, never thrown: the application has ended either way.
     */
    public void applicationRemoved(String applicationId) {
        requireNonNull(applicationId, "applicationId is null");
        try {
            service.applicationRemoved(applicationId);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof java.nio.channels.ClosedByInterruptException) {
                log.info("The worker is stopping; the shuffle service did not finish removing application {}",
                        applicationId);
                return;
            }
            log.warn("The shuffle service could not remove application {}: {}", applicationId, e.toString());
        }
    }

    /**
     * The applications the service holds files or registrations of; none when its plugin does not
     * say (API before 1.3) or cannot list them now (logged).
     */
    public Set<String> applications() {
        try {
            return Set.copyOf(service.applications());
        } catch (RuntimeException e) {
            log.warn("The shuffle service on {} could not list its applications: {}", address(), e.toString());
            return Set.of();
        }
    }

    /** Stops the service, then the manager. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            service.close();
        } finally {
            manager.close();
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    @Override
    public String toString() {
        return "ShuffleServiceHost[" + address() + (closed.get() ? ", closed" : "") + "]";
    }
}
