package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.config.DeclaredSettings;
import io.ember.api.config.Settings;
import io.ember.api.plugin.PolicyKind;
import java.util.Map;

/**
 * The validated configuration: every value from every source has been checked against its
 * declaration, so reading never fails for a declared key.
 *
 * <p>{@link #core()} is the view of Ember's own keys (full names, prefix {@code ""});
 * {@link #policy} is a policy's view with its prefix stripped, as its factory receives it. Every
 * value knows its origin ({@link Settings#origin}), so a factory that refuses a combination of
 * values names the file and line.
 *
 * <p>Immutable and thread-safe.
 */
public final class EmberConfig {

    private final ConfigSources sources;
    private final KeyCatalog catalog;
    private final Map<String, DeclaredSettings> views;

    private EmberConfig(ConfigSources sources, KeyCatalog catalog, Map<String, DeclaredSettings> views) {
        this.sources = requireNonNull(sources, "sources is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.views = Map.copyOf(views);
    }

    /**
     * Checks every source against the catalog.
     *
     * <p>Problems, all reported together: a file that cannot be read or has a malformed escape or a
     * key set twice; an unknown key under {@code ember.}, in {@code ember.properties}, in a policy
     * file or as an {@code EMBER_*} variable (with "did you mean"); a policy file or a key under
     * {@code ember.<kind>.<name>.} for a policy not in the catalog; a value its declaration
     * refuses, even when a source of higher precedence overrides it; a required key without value;
     * {@code ember.task.cpus} above {@code ember.executor.cores}.
     *
     * @throws ConfigException listing every problem
     */
    public static EmberConfig resolve(ConfigSources sources, KeyCatalog catalog) throws ConfigException {
        requireNonNull(sources, "sources is null");
        requireNonNull(catalog, "catalog is null");
        return new EmberConfig(sources, catalog, ConfigResolver.resolve(sources, catalog));
    }

    /** The view of Ember's own keys, by full name ({@code ember.task.cpus}). */
    public Settings core() {
        return views.get("");
    }

    /**
     * A policy's view, its prefix {@code ember.<kind>.<name>.} stripped: what its factory's
     * {@code create} receives.
     *
     * @throws IllegalArgumentException listing the available names when the catalog has no such
     *     policy
     */
    public Settings policy(PolicyKind kind, String name) {
        return views.get(catalog.keySet(kind, name).prefix());
    }

    /**
     * The value of one of Ember's own fixed keys, else its default.
     *
     * @throws IllegalArgumentException when the key is not a core key of the catalog
     */
    public <T> T get(ConfigKey<T> coreKey) {
        return core().get(coreKey);
    }

    /**
     * The name of the policy selected for a kind: {@code ember.scheduler}, {@code ember.allocation}
     * or {@code ember.shuffle}. Not checked against the catalog here: choosing the factory, and
     * saying what is available when the name is not, is the plugin host's job.
     */
    public String selected(PolicyKind kind) {
        return get(EmberKeys.selector(kind));
    }

    /**
     * This configuration with the conf directory's files read again (for settings that take effect
     * while running, such as a scheduling policy's file); every other source as it was.
     *
     * @throws ConfigException listing every problem of the configuration as it is now
     */
    public EmberConfig reread() throws ConfigException {
        return resolve(sources.withFilesReread(), catalog);
    }

    /** The keys this configuration was checked against. */
    public KeyCatalog catalog() {
        return catalog;
    }

    /**
     * This configuration with per-application settings on top of every other source (full keys;
     * keys outside {@code ember.} are ignored), checked again as a whole.
     *
     * @throws ConfigException listing every problem
     */
    public EmberConfig withOverrides(Map<String, String> perApplication) throws ConfigException {
        requireNonNull(perApplication, "perApplication is null");
        return resolve(sources.withApplicationSettings(perApplication), catalog);
    }
}
