package io.ember.plugins;

import io.ember.api.allocation.AllocationPolicyFactory;
import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.Plugin;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import io.ember.api.scheduler.SchedulerFactory;
import io.ember.api.shuffle.ShuffleManagerFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.ServiceLoader.Provider;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Calls into a freshly loaded plugin: finds its provider, creates it, and reads and checks what it
 * offers. Every call runs with the plugin's class loader as the thread context class loader; any
 * {@link Throwable} the plugin throws (except a {@link VirtualMachineError}) becomes a refusal.
 *
 * <p>Used on the loading thread only.
 */
final class PluginReader {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final String NAME_RULE = "use lower-case letters, digits and '-', starting with a letter or digit";

    private PluginReader() {
    }

    /**
     * The one {@link Plugin} provider declared in a plugin's own JARs.
     *
     * @throws PluginRefusedException when the service file names no provider, several, a class that
     *     cannot be loaded, or a class outside the plugin's JARs
     */
    static Provider<Plugin> soleProvider(PluginClassLoader loader, String providerJar) throws PluginRefusedException {
        List<Provider<Plugin>> providers = call(loader, "looking up the provider named in " + providerJar,
                () -> ServiceLoader.load(Plugin.class, loader).stream().toList());
        if (providers.isEmpty()) {
            throw new PluginRefusedException(providerJar + " declares " + PluginArchive.SERVICE_FILE + " but names no provider class in it");
        }
        if (providers.size() > 1) {
            throw new PluginRefusedException(providerJar + " names " + providers.size() + " providers ("
                    + String.join(", ", providers.stream().map(p -> p.type().getName()).toList())
                    + "); a plugin folder holds exactly one plugin");
        }
        Provider<Plugin> provider = providers.get(0);
        if (provider.type().getClassLoader() != loader) {
            throw new PluginRefusedException("provider " + provider.type().getName() + " named in " + providerJar
                    + " is not a class of the plugin's own JARs");
        }
        return provider;
    }

    /**
     * Creates the plugin from its provider and reads its name and factories.
     *
     * @param loader the plugin's class loader, made the context class loader around every call
     * @throws PluginRefusedException when plugin code throws, or returns a null, an invalid name or
     *     a factory offered twice
     */
    static PluginOffer read(Provider<Plugin> provider, ClassLoader loader) throws PluginRefusedException {
        String className = provider.type().getName();
        Plugin plugin = call(loader, "creating " + className, provider::get);
        String name = call(loader, className + ".name()", plugin::name);
        if (name == null) {
            throw new PluginRefusedException(className + ".name() returned null");
        }
        checkName("plugin name", name);
        try {
            return new PluginOffer(name,
                    factories(PolicyKind.SCHEDULER, SchedulerFactory.class, "schedulerFactories()", plugin::schedulerFactories, loader,
                            (factory, metadata) -> new ClassLoaderSafeSchedulerFactory(factory, metadata, loader)),
                    factories(PolicyKind.ALLOCATION, AllocationPolicyFactory.class, "allocationPolicyFactories()",
                            plugin::allocationPolicyFactories, loader,
                            (factory, metadata) -> new ClassLoaderSafeAllocationPolicyFactory(factory, metadata, loader)),
                    factories(PolicyKind.SHUFFLE, ShuffleManagerFactory.class, "shuffleManagerFactories()",
                            plugin::shuffleManagerFactories, loader,
                            (factory, metadata) -> new ClassLoaderSafeShuffleManagerFactory(factory, metadata, loader)));
        } catch (PluginRefusedException e) {
            throw e.forPlugin(name);
        }
    }

    private static <F extends PolicyFactory> List<F> factories(PolicyKind kind, Class<F> type, String method,
                                                               Supplier<? extends List<? extends F>> offered, ClassLoader loader,
                                                               BiFunction<F, FactoryMetadata, F> wrap) throws PluginRefusedException {
        List<Object> entries = call(loader, method, () -> {
            List<? extends F> list = offered.get();
            return list == null ? null : new ArrayList<Object>(list);
        });
        if (entries == null) {
            throw new PluginRefusedException(method + " returned null");
        }
        List<F> wrapped = new ArrayList<>(entries.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i);
            if (entry == null) {
                throw new PluginRefusedException(method + " returned a null entry at index " + i);
            }
            if (!type.isInstance(entry)) {
                throw new PluginRefusedException(method + " returned a " + entry.getClass().getName() + " at index " + i
                        + ", which is not a " + type.getSimpleName());
            }
            F factory = type.cast(entry);
            FactoryMetadata metadata = metadata(kind, factory, loader);
            if (!names.add(metadata.name())) {
                throw new PluginRefusedException("offers " + metadata.label() + " twice");
            }
            wrapped.add(wrap.apply(factory, metadata));
        }
        return wrapped;
    }

    private static FactoryMetadata metadata(PolicyKind kind, PolicyFactory factory, ClassLoader loader) throws PluginRefusedException {
        String className = factory.getClass().getName();
        String name = call(loader, "name() of " + kind.id() + " factory " + className, factory::name);
        if (name == null) {
            throw new PluginRefusedException("name() of " + kind.id() + " factory " + className + " returned null");
        }
        checkName(kind.id() + " factory name", name);
        String label = kind.id() + " '" + name + "'";
        String description = call(loader, "description() of " + label, factory::description);
        if (description == null) {
            throw new PluginRefusedException("description() of " + label + " returned null");
        }
        List<Object> keys = call(loader, "configKeys() of " + label, () -> {
            List<ConfigKey<?>> list = factory.configKeys();
            return list == null ? null : new ArrayList<Object>(list);
        });
        if (keys == null) {
            throw new PluginRefusedException("configKeys() of " + label + " returned null");
        }
        List<ConfigKey<?>> configKeys = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            if (!(keys.get(i) instanceof ConfigKey<?> key)) {
                throw new PluginRefusedException("configKeys() of " + label + " returned " + (keys.get(i) == null ? "a null entry" : "a " + keys.get(i).getClass().getName()) + " at index " + i);
            }
            configKeys.add(key);
        }
        return new FactoryMetadata(kind, name, description, configKeys);
    }

    private static void checkName(String what, String name) throws PluginRefusedException {
        if (!NAME.matcher(name).matches()) {
            throw new PluginRefusedException(what + " '" + name + "' is invalid: " + NAME_RULE);
        }
    }

    /** Runs plugin code with {@code loader} as the context class loader; a failure refuses the plugin. */
    private static <T> T call(ClassLoader loader, String what, Supplier<T> action) throws PluginRefusedException {
        ClassLoader previous = ContextClassLoader.enter(loader);
        try {
            return action.get();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            throw PluginRefusedException.thrownBy(what, t);
        } finally {
            ContextClassLoader.restore(previous);
        }
    }
}
