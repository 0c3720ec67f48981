package io.ember.plugins;

import static java.util.Objects.requireNonNull;

import io.ember.api.ApiVersion;
import io.ember.api.plugin.Plugin;
import java.io.IOException;
import java.util.List;
import java.util.ServiceLoader.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins of the plugins directory, one {@link PluginSource} at a time: checks its JARs
 * ({@link PluginArchive}) before any class loader exists, then gives it its own
 * {@link PluginClassLoader} and reads its provider. A refused plugin's class loader is closed before
 * the refusal is returned.
 *
 * <p>Used on the loading thread only.
 */
final class FolderPlugins {

    private static final Logger log = LoggerFactory.getLogger(FolderPlugins.class);

    private final ClassLoader sharedLoader;
    private final List<String> sharedPrefixes;
    private final ApiVersion hostApi;

    /**
     * @param sharedLoader the loader of the API, which shared classes come from
     * @param sharedPrefixes the package prefixes plugins share with the host
     */
    FolderPlugins(ClassLoader sharedLoader, List<String> sharedPrefixes, ApiVersion hostApi) {
        this.sharedLoader = requireNonNull(sharedLoader, "sharedLoader is null");
        this.sharedPrefixes = List.copyOf(requireNonNull(sharedPrefixes, "sharedPrefixes is null"));
        this.hostApi = requireNonNull(hostApi, "hostApi is null");
    }

    PluginAttempt load(PluginSource source) {
        String location = source.location().toString();
        PluginArchive archive;
        try {
            archive = PluginArchive.inspect(source, hostApi);
        } catch (PluginRefusedException e) {
            return refused(source, location, e);
        }
        PluginClassLoader loader = new PluginClassLoader(source.name(), archive.urls(), sharedLoader, sharedPrefixes);
        try {
            Provider<Plugin> provider = PluginReader.soleProvider(loader, archive.providerJar());
            PluginOffer offer = PluginReader.read(provider, loader);
            return new PluginAttempt.Loaded(new LoadedPlugin(offer.name(), archive.version(), archive.apiVersion(), location, false, loader,
                    offer.schedulerFactories(), offer.allocationPolicyFactories(), offer.shuffleManagerFactories()));
        } catch (PluginRefusedException e) {
            close(loader);
            return refused(source, location, e);
        }
    }

    private static PluginAttempt refused(PluginSource source, String location, PluginRefusedException e) {
        return new PluginAttempt.Refused(new PluginRefusal(e.pluginName().orElse(source.name()), location, e.getMessage()));
    }

    /** Closes a plugin's class loader; a failure is logged, since nothing more can be done about it. */
    static void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot close the class loader of plugin {}: {}", loader.pluginName(), PluginRefusedException.describe(e));
        }
    }
}
