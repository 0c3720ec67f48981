package io.ember.core.executor;

import static java.util.Objects.requireNonNull;

import io.ember.api.shuffle.ExecutorShuffle;
import io.ember.api.shuffle.ExecutorShuffleContext;
import io.ember.api.shuffle.ExecutorShuffleContext.ServiceAddress;
import io.ember.api.shuffle.ShuffleManager;
import io.ember.api.shuffle.ShuffleManagerFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.core.bootstrap.Bootstrap;
import io.ember.core.config.ConfigException;
import io.ember.core.config.ConfigSources;
import io.ember.core.config.EmberConfig;
import io.ember.core.config.EmberKeys;
import io.ember.core.config.ShuffleServiceLimits;
import io.ember.plugins.PluginManager;
import io.ember.plugins.PluginSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Opens an executor process's shuffle, at the first task that needs one (never at start-up, which
 * stays lean): loads the plugins (the built-ins on the class path, and the plugin folders of
 * {@code ember.plugins.dir} when its worker named one), checks the shuffle settings its worker
 * passed ({@code ember.shuffle}, {@code ember.shuffle.<name>.*}) against the selected factory's
 * keys, creates the manager and opens the executor's shuffle: its files in {@code shuffle/} under
 * the work directory, registered with the host's shuffle service when the worker named its port
 * ({@code ember.shuffle.service.port}), else served by the executor itself.
 *
 * <p>Only the {@code ember.shuffle*} and {@code ember.plugins.*} settings are read; the others
 * belong to other parts of the executor.
 *
 * <p>Thread-safe: {@link #get()} runs under {@link ShuffleAccess}'s lock, {@link #close()} when the
 * executor stops. A failed {@link #get()} releases what it took, so a later task may try again.
 */
final class ExecutorShuffleOpener implements Supplier<ExecutorShuffle>, AutoCloseable {

    /** Where the shuffle files go, under the work directory. */
    static final String SHUFFLE_DIRECTORY = "shuffle";

    private final ExecutorArguments arguments;
    private final Optional<String> secret;
    private final Path workDirectory;
    private final ClassLoader hostLoader;
    /** Set by a successful {@link #get()}; guarded by this. */
    private ShuffleManager manager;
    /** Set by a successful {@link #get()}; guarded by this. */
    private PluginManager plugins;
    private boolean closed;

    /**
     * @param arguments the executor's arguments, whose settings name the shuffle
     * @param secret {@code ember.auth.secret}; empty for none
     * @param workDirectory the executor's work directory
     * @param hostLoader where built-in plugins are found: the executor's own class path
     */
    ExecutorShuffleOpener(ExecutorArguments arguments, Optional<String> secret, Path workDirectory,
                          ClassLoader hostLoader) {
        this.arguments = requireNonNull(arguments, "arguments is null");
        this.secret = requireNonNull(secret, "secret is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.hostLoader = requireNonNull(hostLoader, "hostLoader is null");
    }

    /**
     * Opens the shuffle.
     *
     * @throws IllegalStateException with a one-line reason when the settings are invalid, the
     *     selected shuffle is not available, or its directory cannot be created; when closed
     * @throws java.io.UncheckedIOException when the shuffle service cannot be reached
     */
    @Override
    public synchronized ExecutorShuffle get() {
        if (closed) {
            throw new IllegalStateException("the executor is stopping");
        }
        if (manager != null) {
            throw new IllegalStateException("the executor's shuffle is already open");
        }
        long started = System.nanoTime();
        Map<String, String> settings = shuffleSettings(arguments.settings());
        PluginManager loading = new PluginManager(Optional.ofNullable(settings.get(EmberKeys.PLUGINS_DIR.name())).map(Path::of),
                parentFirst(settings), hostLoader);
        ShuffleManager created = null;
        try {
            PluginSet loaded = loading.load();
            EmberConfig config = EmberConfig.resolve(ConfigSources.read(null, Map.of(), Map.of(), settings),
                    Bootstrap.catalog(loaded));
            String name = config.get(EmberKeys.SHUFFLE);
            ShuffleManagerFactory factory = loaded.shuffleManagerFactories().get(name);
            if (factory == null) {
                throw new IllegalStateException("no shuffle named '" + name + "'; available: "
                        + (loaded.shuffleManagerFactories().isEmpty() ? "none"
                        : String.join(", ", loaded.shuffleManagerFactories().keySet())));
            }
            created = factory.create(config.policy(PolicyKind.SHUFFLE, name));
            ExecutorShuffleContext context = new ExecutorShuffleContext(arguments.appId(), arguments.executorId(),
                    arguments.host(), List.of(shuffleDirectory()), service(config), secret,
                    ShuffleServiceLimits.from(config));
            ExecutorShuffle shuffle = created.openExecutor(context);
            manager = created;
            plugins = loading;
            LoggerFactory.getLogger(ExecutorShuffleOpener.class).info("Executor {} opened its {} shuffle in {} ms: {}",
                    arguments.executorId(), name, (System.nanoTime() - started) / 1_000_000, context);
            return shuffle;
        } catch (ConfigException e) {
            release(created, loading);
            throw new IllegalStateException("the executor's shuffle settings are invalid: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            release(created, loading);
            throw e;
        }
    }

    /** Closes the manager (and what it opened) and the plugins' class loaders. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        release(manager, plugins);
        manager = null;
        plugins = null;
    }

    /** The settings this opener reads: {@code ember.shuffle*} and {@code ember.plugins.*}. */
    static Map<String, String> shuffleSettings(Map<String, String> all) {
        Map<String, String> settings = new TreeMap<>();
        all.forEach((key, value) -> {
            if (key.equals(EmberKeys.SHUFFLE.name()) || key.startsWith(EmberKeys.SHUFFLE.name() + ".")
                    || key.startsWith("ember.plugins.")) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    private Optional<ServiceAddress> service(EmberConfig config) {
        int port = config.get(EmberKeys.SHUFFLE_SERVICE_PORT);
        boolean named = config.core().isSet(EmberKeys.SHUFFLE_SERVICE_PORT.name());
        if (!config.get(EmberKeys.SHUFFLE_SERVICE_ENABLED) || !named || port == 0) {
            return Optional.empty();
        }
        return Optional.of(new ServiceAddress(arguments.host(), port));
    }

    private Path shuffleDirectory() {
        Path dir = workDirectory.resolve(SHUFFLE_DIRECTORY);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the shuffle directory " + dir + ": " + e, e);
        }
    }

    private static List<String> parentFirst(Map<String, String> settings) {
        String text = settings.getOrDefault(EmberKeys.PLUGINS_PARENT_FIRST_PACKAGES.name(), "");
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void release(ShuffleManager manager, PluginManager plugins) {
        try {
            if (manager != null) {
                manager.close();
            }
        } finally {
            if (plugins != null) {
                plugins.close();
            }
        }
    }
}
