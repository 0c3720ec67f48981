package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import io.ember.api.plugin.Plugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins once: first the built-ins found on the host's class path, then every folder and
 * loose JAR of the plugins directory in file name order, each on its own {@link PluginClassLoader}.
 * A plugin that cannot be loaded (unreadable JAR, wrong API version, failing code, a name already
 * taken) is refused with a one-line reason and the others load regardless; see {@link PluginSet}.
 *
 * <p>Logs one INFO line per loaded plugin and one WARN line, without stack trace, per refusal.
 *
 * <p>Lifecycle: {@link #load()} once; {@link #close()} closes the plugins' class loaders, after
 * which their factories must no longer be used. {@code close()} is idempotent. Thread-safe; loading
 * itself runs on the calling thread.
 */
public final class PluginManager implements AutoCloseable {

    /** Packages every plugin shares with the host: the API and the logging API. */
    static final List<String> SHARED_PREFIXES = List.of("io.ember.api.", "org.slf4j.");

    private static final Logger log = LoggerFactory.getLogger(PluginManager.class);
    private static final Pattern PACKAGE_PREFIX = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)+");

    private enum State { NEW, LOADING, LOADED, CLOSED }

    /** Empty when this process has no plugins directory at all (built-ins only). */
    private final Optional<Path> pluginsDir;
    private final List<String> sharedPrefixes;
    private final ClassLoader builtInClassLoader;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile List<PluginClassLoader> ownedLoaders = List.of();

    /**
     * @param pluginsDir the plugins directory; it need not exist, and then only built-ins load
     * @param extraParentFirstPrefixes package prefixes, each ending in {@code .}
     *     ({@code "com.acme.shared."}), that plugins share with the host in addition to
     *     {@code io.ember.api.} and {@code org.slf4j.}; they come from the loader of the API
     * @param builtInClassLoader where built-in plugins are discovered with {@link java.util.ServiceLoader}:
     *     the host's own class path
     * @throws IllegalArgumentException when a prefix is not a package prefix ending in {@code .}
     */
    public PluginManager(Path pluginsDir, List<String> extraParentFirstPrefixes, ClassLoader builtInClassLoader) {
        this(Optional.of(requireNonNull(pluginsDir, "pluginsDir is null")), extraParentFirstPrefixes, builtInClassLoader);
    }

    /**
     * A plugin manager that may have no plugins directory at all: with {@code Optional.empty()} only
     * built-in plugins load (a process run outside an installation, such as a test or an embedded
     * driver).
     */
    public PluginManager(Optional<Path> pluginsDir, List<String> extraParentFirstPrefixes,
                         ClassLoader builtInClassLoader) {
        this.pluginsDir = requireNonNull(pluginsDir, "pluginsDir is null").map(p -> p.toAbsolutePath().normalize());
        List<String> prefixes = new ArrayList<>(SHARED_PREFIXES);
        for (String prefix : requireNonNull(extraParentFirstPrefixes, "extraParentFirstPrefixes is null")) {
            requireNonNull(prefix, "extraParentFirstPrefixes contains null");
            if (!PACKAGE_PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("parent-first prefix must be a package prefix ending in '.', like 'com.acme.shared.': '"
                        + prefix + "'");
            }
            if (!prefixes.contains(prefix)) {
                prefixes.add(prefix);
            }
        }
        this.sharedPrefixes = List.copyOf(prefixes);
        this.builtInClassLoader = requireNonNull(builtInClassLoader, "builtInClassLoader is null");
    }

    /**
     * Loads the built-in plugins and those of the plugins directory.
     *
     * @throws IllegalStateException when called a second time, or after {@link #close()}
     * @throws java.io.UncheckedIOException when the plugins directory exists but cannot be listed
     * @throws IllegalArgumentException when the plugins directory path exists but is not a directory
     */
    public PluginSet load() {
        if (!state.compareAndSet(State.NEW, State.LOADING)) {
            throw new IllegalStateException(state.get() == State.CLOSED
                    ? "the plugin manager is closed"
                    : "plugins are already loaded from " + describeDir() + "; load() may be called once");
        }
        ApiVersion hostApi = ApiVersion.current();
        PluginRegistry registry = new PluginRegistry();
        List<PluginRefusal> refusals = new ArrayList<>();
        List<PluginClassLoader> loaders = new ArrayList<>();
        try {
            for (PluginAttempt attempt : new BuiltInPlugins(builtInClassLoader, hostApi).load()) {
                accept(attempt, registry, refusals, loaders);
            }
            FolderPlugins folders = new FolderPlugins(Plugin.class.getClassLoader(), sharedPrefixes, hostApi);
            for (PluginSource source : sources()) {
                accept(folders.load(source), registry, refusals, loaders);
            }
        } catch (RuntimeException | Error e) {
            loaders.forEach(FolderPlugins::close);
            state.set(State.CLOSED);
            throw e;
        }
        ownedLoaders = List.copyOf(loaders);
        if (!state.compareAndSet(State.LOADING, State.LOADED)) {
            loaders.forEach(FolderPlugins::close);
            throw new IllegalStateException("the plugin manager was closed while loading plugins from " + describeDir());
        }
        return new PluginSet(registry.plugins(), refusals);
    }

    /** Closes the class loaders of the plugins loaded from the plugins directory. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.LOADED) {
            ownedLoaders.forEach(FolderPlugins::close);
        }
        // NEW: nothing was opened. LOADING: load() sees CLOSED at its end and closes what it opened.
    }

    private String describeDir() {
        return pluginsDir.map(Path::toString).orElse("(no plugins directory)");
    }

    private List<PluginSource> sources() {
        if (pluginsDir.isEmpty()) {
            log.info("No plugins directory (no EMBER_HOME and no ember.plugins.dir); loading built-in plugins only");
            return List.of();
        }
        Path dir = pluginsDir.get();
        if (!Files.exists(dir)) {
            log.info("No plugins directory at {}; loading built-in plugins only", dir);
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the plugins directory is not a directory: " + dir);
        }
        return PluginSource.scan(dir);
    }

    private static void accept(PluginAttempt attempt, PluginRegistry registry, List<PluginRefusal> refusals,
                               List<PluginClassLoader> loaders) {
        if (attempt instanceof PluginAttempt.Refused refused) {
            refuse(refused.refusal(), refusals);
            return;
        }
        LoadedPlugin plugin = ((PluginAttempt.Loaded) attempt).plugin();
        PluginClassLoader owned = !plugin.builtIn() && plugin.classLoader() instanceof PluginClassLoader loader ? loader : null;
        try {
            registry.register(plugin);
        } catch (PluginRefusedException e) {
            if (owned != null) {
                FolderPlugins.close(owned);
            }
            refuse(new PluginRefusal(plugin.name(), plugin.location(), e.getMessage()), refusals);
            return;
        }
        if (owned != null) {
            loaders.add(owned);
        }
        log.info("Loaded plugin {} {} (API {}) from {}: {}", plugin.name(), plugin.version(), plugin.apiVersion(), plugin.location(),
                plugin.offerings());
    }

    private static void refuse(PluginRefusal refusal, List<PluginRefusal> refusals) {
        refusals.add(refusal);
        log.warn("{}", refusal);
    }

    @Override
    public String toString() {
        return "PluginManager[" + pluginsDir + ", " + state.get() + "]";
    }
}
