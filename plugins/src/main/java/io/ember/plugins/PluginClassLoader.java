package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin folder or loose JAR: child-first, sharing only what the host and
 * its plugins must agree on.
 *
 * <ul>
 *   <li>Classes and resources under a <em>shared</em> prefix ({@code io.ember.api.},
 *       {@code org.slf4j.} and any configured extras) come from the loader of the API, and from
 *       nowhere else, so a plugin sees the very same {@code Class} objects as the host.
 *   <li>Other classes come from the platform class loader (the JDK) first, then from the plugin's
 *       own JARs.
 *   <li>Other resources come from the plugin's own JARs first, then from the JDK. So a
 *       {@link java.util.ServiceLoader} over this loader sees only the plugin's own
 *       {@code META-INF/services}.
 * </ul>
 *
 * <p>Nothing is ever loaded from the host's application class path: a plugin bundles what it needs,
 * and two plugins can bundle different versions of one library.
 *
 * <p>Parallel capable; thread-safe.
 */
public final class PluginClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String pluginName;
    private final ClassLoader sharedLoader;
    private final ClassLoader platformLoader;
    private final List<String> sharedClassPrefixes;
    private final List<String> sharedResourcePrefixes;

    /**
     * @param pluginName the plugin folder or JAR name, for diagnostics
     * @param jars the plugin's own JARs
     * @param sharedLoader where shared classes and resources come from: the loader of the API
     * @param sharedPrefixes package prefixes ending in {@code .}, e.g. {@code io.ember.api.}
     */
    PluginClassLoader(String pluginName, List<URL> jars, ClassLoader sharedLoader, List<String> sharedPrefixes) {
        super(requireNonNull(pluginName, "pluginName is null"), requireNonNull(jars, "jars is null").toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        this.pluginName = pluginName;
        this.sharedLoader = requireNonNull(sharedLoader, "sharedLoader is null");
        this.platformLoader = ClassLoader.getPlatformClassLoader();
        this.sharedClassPrefixes = List.copyOf(requireNonNull(sharedPrefixes, "sharedPrefixes is null"));
        this.sharedResourcePrefixes = sharedClassPrefixes.stream().map(prefix -> prefix.replace('.', '/')).toList();
        for (String prefix : sharedClassPrefixes) {
            if (prefix.isEmpty() || !prefix.endsWith(".")) {
                throw new IllegalArgumentException("shared prefix must be a package prefix ending in '.': '" + prefix + "'");
            }
        }
    }

    /** The name of the plugin folder or loose JAR this loader serves. */
    public String pluginName() {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name, sharedClassPrefixes)) {
            return sharedLoader.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                type = loadFromJdkOrOwnJars(name);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    private Class<?> loadFromJdkOrOwnJars(String name) throws ClassNotFoundException {
        try {
            return platformLoader.loadClass(name);
        } catch (ClassNotFoundException notInJdk) {
            return findClass(name);
        }
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name, sharedResourcePrefixes)) {
            return sharedLoader.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : platformLoader.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isShared(name, sharedResourcePrefixes)) {
            return sharedLoader.getResources(name);
        }
        List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
        urls.addAll(Collections.list(platformLoader.getResources(name)));
        return Collections.enumeration(urls);
    }

    private static boolean isShared(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginName + "]";
    }
}
