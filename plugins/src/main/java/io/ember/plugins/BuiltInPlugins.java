package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import io.ember.api.plugin.Plugin;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.ServiceLoader.Provider;

/**
 * Finds the plugins on the host's own class path with {@link ServiceLoader} and loads each, in the
 * order the class path lists them. A built-in's API version comes from the manifest of the JAR that
 * holds its provider class; a class path entry without {@value ApiVersion#MANIFEST_ATTRIBUTE} (a
 * build's {@code target/classes}, say) counts as built against the host's API.
 *
 * <p>Used on the loading thread only.
 */
final class BuiltInPlugins {

    private final ClassLoader classLoader;
    private final ApiVersion hostApi;

    BuiltInPlugins(ClassLoader classLoader, ApiVersion hostApi) {
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
        this.hostApi = requireNonNull(hostApi, "hostApi is null");
    }

    /** Tries every provider declared on the class path. */
    List<PluginAttempt> load() {
        List<PluginAttempt> attempts = new ArrayList<>();
        Iterator<Provider<Plugin>> providers = ServiceLoader.load(Plugin.class, classLoader).stream().iterator();
        String previousFailure = null;
        while (true) {
            Provider<Plugin> provider;
            ClassLoader previous = ContextClassLoader.enter(classLoader);
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                // The service loader skips a provider it cannot load; stop if it keeps failing on the same one.
                String reason = "looking up the providers on the class path threw " + PluginRefusedException.describe(t);
                if (reason.equals(previousFailure)) {
                    break;
                }
                previousFailure = reason;
                attempts.add(new PluginAttempt.Refused(new PluginRefusal("built-in", "class path", reason)));
                continue;
            } finally {
                ContextClassLoader.restore(previous);
            }
            attempts.add(load(provider));
        }
        return attempts;
    }

    private PluginAttempt load(Provider<Plugin> provider) {
        Class<? extends Plugin> type = provider.type();
        Path entry = classPathEntry(type);
        String location = "class path (" + (entry == null ? type.getName() : entry) + ")";
        String refusalName = entry == null || entry.getFileName() == null ? type.getName() : entry.getFileName().toString();
        try {
            PluginManifest manifest = manifest(entry, type);
            ApiVersion apiVersion = manifest.compatibleApiVersion(hostApi, true);
            ClassLoader pluginLoader = type.getClassLoader() == null ? classLoader : type.getClassLoader();
            PluginOffer offer = PluginReader.read(provider, pluginLoader);
            return new PluginAttempt.Loaded(new LoadedPlugin(offer.name(), manifest.version(), apiVersion, location, true, pluginLoader,
                    offer.schedulerFactories(), offer.allocationPolicyFactories(), offer.shuffleManagerFactories()));
        } catch (PluginRefusedException e) {
            return new PluginAttempt.Refused(new PluginRefusal(e.pluginName().orElse(refusalName), location, e.getMessage()));
        }
    }

    private static PluginManifest manifest(Path entry, Class<?> type) throws PluginRefusedException {
        if (entry == null) {
            return PluginManifest.of(type.getName(), null);
        }
        try {
            return PluginManifest.ofClassPathEntry(entry);
        } catch (IOException | RuntimeException e) {
            throw new PluginRefusedException("the manifest of " + entry + " cannot be read: " + PluginRefusedException.describe(e));
        }
    }

    /** The JAR or directory a class was loaded from, when it is a local file. */
    private static Path classPathEntry(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null || !"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
