package io.ember.core.config;

import static java.util.Objects.requireNonNull;

import io.ember.api.config.ConfigKey;
import io.ember.api.plugin.Plugin;
import io.ember.api.plugin.PolicyFactory;
import io.ember.api.plugin.PolicyKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which keys exist: Ember's own (full names, starting {@code ember.}) and, for every policy the
 * loaded plugins offer, that policy's keys relative to its prefix {@code ember.<kind>.<name>.}.
 *
 * <p>The catalog must name every policy an operator may configure, including those built into the
 * core (such as the {@code static} allocation policy, with no keys): a policy file that sets a key,
 * or a key under {@code ember.<kind>.<name>.}, for a policy not in the catalog is a configuration
 * problem.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyCatalog {

    private static final Pattern POLICY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final KeySet core;
    private final Map<PolicyKind, TreeMap<String, KeySet>> policies;
    private final Map<String, Located> byEnvironmentVariable;

    /**
     * @param coreKeys Ember's own keys, full names starting with {@code ember.}
     * @param policyKeysByKindAndName for each kind, each policy's name and its relative keys
     * @throws IllegalArgumentException when a key is declared twice, a core key is outside
     *     {@code ember.}, a policy name is not lower-case letters, digits and {@code -}, or two
     *     keys map to the same environment variable
     */
    public KeyCatalog(List<ConfigKey<?>> coreKeys, Map<PolicyKind, Map<String, List<ConfigKey<?>>>> policyKeysByKindAndName) {
        requireNonNull(coreKeys, "coreKeys is null");
        requireNonNull(policyKeysByKindAndName, "policyKeysByKindAndName is null");
        for (ConfigKey<?> key : coreKeys) {
            if (!key.name().startsWith("ember.")) {
                throw new IllegalArgumentException("a core key must start with 'ember.': " + key.name());
            }
        }
        this.core = new KeySet("", coreKeys);
        this.policies = new EnumMap<>(PolicyKind.class);
        for (PolicyKind kind : PolicyKind.values()) {
            TreeMap<String, KeySet> byName = new TreeMap<>();
            policyKeysByKindAndName.getOrDefault(kind, Map.of()).forEach((name, keys) -> {
                if (name == null || !POLICY_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("not a valid " + kind.id()
                            + " policy name (lower-case letters, digits and -): '" + name + "'");
                }
                byName.put(name, new KeySet(kind.settingsPrefix(name), requireNonNull(keys, "keys of " + name)));
            });
            policies.put(kind, byName);
        }
        this.byEnvironmentVariable = indexEnvironmentVariables();
    }

    /**
     * The catalog of Ember's keys and of every policy the plugins offer.
     *
     * @throws IllegalArgumentException when two factories of one kind share a name (the plugin
     *     host refuses such plugins before this is called), or as the constructor
     */
    public static KeyCatalog fromPlugins(List<ConfigKey<?>> coreKeys, Iterable<? extends Plugin> plugins) {
        Map<PolicyKind, Map<String, List<ConfigKey<?>>>> keys = new EnumMap<>(PolicyKind.class);
        for (Plugin plugin : plugins) {
            for (PolicyKind kind : PolicyKind.values()) {
                for (PolicyFactory factory : factories(plugin, kind)) {
                    List<ConfigKey<?>> previous = keys.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                            .putIfAbsent(factory.name(), factory.configKeys());
                    if (previous != null) {
                        throw new IllegalArgumentException("two " + kind.id() + " policies named '" + factory.name()
                                + "' (the second from plugin " + plugin.name() + ")");
                    }
                }
            }
        }
        return new KeyCatalog(coreKeys, keys);
    }

    /** Ember's own keys, in declaration order. */
    public List<ConfigKey<?>> coreKeys() {
        return core.keys();
    }

    /** The names of the policies of a kind, sorted. */
    public SortedSet<String> policyNames(PolicyKind kind) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(policies.get(kind).keySet()));
    }

    /** Whether the catalog has a policy of this kind and name. */
    public boolean hasPolicy(PolicyKind kind, String name) {
        return policies.get(kind).containsKey(name);
    }

    /**
     * A policy's keys, relative to its prefix, in declaration order.
     *
     * @throws IllegalArgumentException listing the available names when there is no such policy
     */
    public List<ConfigKey<?>> policyKeys(PolicyKind kind, String name) {
        return keySet(kind, name).keys();
    }

    KeySet coreKeySet() {
        return core;
    }

    KeySet keySet(PolicyKind kind, String name) {
        KeySet keys = policies.get(kind).get(name);
        if (keys == null) {
            throw new IllegalArgumentException("no " + kind.id() + " policy named '" + name + "'; available: "
                    + available(kind));
        }
        return keys;
    }

    /** The core key set, then every policy's, by kind and name. */
    List<KeySet> allKeySets() {
        List<KeySet> all = new ArrayList<>();
        all.add(core);
        policies.values().forEach(byName -> all.addAll(byName.values()));
        return all;
    }

    /** The available names of a kind for messages: {@code "fair, fifo"} or {@code "none"}. */
    String available(PolicyKind kind) {
        SortedSet<String> names = policyNames(kind);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /**
     * Where a full key belongs: a core key, or a key of a catalog policy under
     * {@code ember.<kind>.<name>.}. Empty when no declaration matches.
     */
    Optional<Located> locate(String fullKey) {
        Optional<ConfigKey<?>> coreKey = core.find(fullKey);
        if (coreKey.isPresent()) {
            return Optional.of(new Located(core, fullKey, coreKey.get()));
        }
        return policyNamed(fullKey).flatMap(p -> {
            KeySet keys = policies.get(p.kind()).get(p.name());
            if (keys == null) {
                return Optional.empty();
            }
            String relative = fullKey.substring(keys.prefix().length());
            return keys.find(relative).map(key -> new Located(keys, relative, key));
        });
    }

    /** The declaration an environment variable sets, if any (only fixed keys have one). */
    Optional<Located> locateEnvironmentVariable(String variable) {
        return Optional.ofNullable(byEnvironmentVariable.get(variable));
    }

    /** Every environment variable that sets a key. */
    List<String> environmentVariables() {
        return List.copyOf(byEnvironmentVariable.keySet());
    }

    /** Every full name, patterns with their placeholder, for "did you mean". */
    List<String> fullNames() {
        List<String> names = new ArrayList<>();
        for (KeySet keys : allKeySets()) {
            keys.names().forEach(name -> names.add(keys.prefix() + name));
        }
        return names;
    }

    /**
     * The policy a full key names by its shape {@code ember.<kind>.<name>.<rest>}, whether or not
     * the catalog has it; empty for keys of another shape.
     */
    static Optional<PolicyRef> policyNamed(String fullKey) {
        for (PolicyKind kind : PolicyKind.values()) {
            String kindPrefix = "ember." + kind.id() + ".";
            if (fullKey.startsWith(kindPrefix)) {
                String rest = fullKey.substring(kindPrefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0 && dot < rest.length() - 1) {
                    return Optional.of(new PolicyRef(kind, rest.substring(0, dot)));
                }
            }
        }
        return Optional.empty();
    }

    private Map<String, Located> indexEnvironmentVariables() {
        Map<String, Located> index = new HashMap<>();
        for (KeySet keys : allKeySets()) {
            for (ConfigKey<?> key : keys.fixedKeys()) {
                String fullName = keys.prefix() + key.name();
                Located previous = index.put(EnvironmentVariables.nameOf(fullName), new Located(keys, key.name(), key));
                if (previous != null) {
                    throw new IllegalArgumentException(fullName + " and " + previous.fullName()
                            + " map to the same environment variable " + EnvironmentVariables.nameOf(fullName));
                }
            }
        }
        return new TreeMap<>(index);
    }

    /**
     * A declared key and the component it belongs to.
     *
     * @param keys the component's key set
     * @param relativeName the concrete name relative to the component's prefix
     * @param key the declaration
     */
    record Located(KeySet keys, String relativeName, ConfigKey<?> key) {
        String fullName() {
            return keys.prefix() + relativeName;
        }
    }

    /** A policy named by kind and name. */
    record PolicyRef(PolicyKind kind, String name) {
    }

    private static List<? extends PolicyFactory> factories(Plugin plugin, PolicyKind kind) {
        return switch (kind) {
            case SCHEDULER -> plugin.schedulerFactories();
            case ALLOCATION -> plugin.allocationPolicyFactories();
            case SHUFFLE -> plugin.shuffleManagerFactories();
        };
    }
}
